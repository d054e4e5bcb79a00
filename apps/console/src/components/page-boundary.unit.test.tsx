// A page that throws shows its error in place of the page instead of blanking the screen.
import { cleanup, render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createI18n } from '../i18n/i18n.js';
import { PageBoundary } from './page-boundary.js';

afterEach(cleanup);

function Broken(): never {
  throw new Error('unexpected answer shape');
}

describe('page boundary', () => {
  it('shows the failure and a reload button where the page was', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    render(
      <I18nextProvider i18n={createI18n('vi')}>
        <PageBoundary>
          <Broken />
        </PageBoundary>
      </I18nextProvider>,
    );
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Trang này gặp lỗi khi hiển thị:');
    expect(alert.textContent).toContain('unexpected answer shape');
    expect(screen.getByRole('button', { name: 'Tải lại' })).toBeTruthy();
  });
});
