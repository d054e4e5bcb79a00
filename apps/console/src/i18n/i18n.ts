// i18next with the two dictionaries: Vietnamese by default, English by the switch in the header;
// the choice is remembered in localStorage.
import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.js';
import { vi } from './vi.js';

export const languages = ['vi', 'en'] as const;
export type Language = (typeof languages)[number];
const storageKey = 'hpe.console.language';

export function storedLanguage(): Language {
  try {
    return localStorage.getItem(storageKey) === 'en' ? 'en' : 'vi';
  } catch {
    return 'vi';
  }
}

export function rememberLanguage(language: Language): void {
  try {
    localStorage.setItem(storageKey, language);
  } catch {
    // A private window may refuse storage; the switch still works for this visit.
  }
}

/** A fresh instance (one per app, one per test), so tests never share a language. */
export function createI18n(language: Language = storedLanguage()): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources: { vi: { translation: vi }, en: { translation: en } },
    lng: language,
    fallbackLng: 'vi',
    interpolation: { escapeValue: false },
    initAsync: false,
    showSupportNotice: false,
  });
  return instance;
}
