// Mounts the console in the page with the browser's fetch, EventSource and address bar.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { AppRoutes, createQueryClient, Providers } from './app.js';
import { createI18n } from './i18n/i18n.js';
import './styles.css';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');
const i18n = createI18n();
document.documentElement.lang = i18n.language;

createRoot(root).render(
  <StrictMode>
    <Providers
      fetch={(input, init) => fetch(input, init)}
      eventSource={(url) => new EventSource(url)}
      i18n={i18n}
      queryClient={createQueryClient()}
    >
      <BrowserRouter>
        <AppRoutes />
      </BrowserRouter>
    </Providers>
  </StrictMode>,
);
