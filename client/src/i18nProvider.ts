import englishMessages from 'ra-language-english';
import type { I18nProvider } from 'react-admin';

/** The message at a dotted key (`ra.action.save`), if there is one. */
function messageAt(key: string): string | undefined {
  let node: unknown = englishMessages;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/**
 * What polyglot would make of a phrase: with a numeric `smart_count`, the singular or the
 * plural of `one |||| many`; then every `%{name}` replaced by its value (left as it is when
 * no value is given).
 */
function render(phrase: string, options: Record<string, unknown>): string {
  const count = options.smart_count;
  let text = phrase;
  if (typeof count === 'number') {
    const forms = phrase.split('||||').map((form) => form.trim());
    text = forms[count === 1 || forms.length === 1 ? 0 : 1] ?? phrase;
  }
  return text.replace(/%\{(\w+)\}/g, (whole, name: string) => {
    const value = options[name];
    return value === undefined || value === null ? whole : String(value);
  });
}

/**
 * react-admin's English messages, translated as its default polyglot provider does (a missing
 * key shows the `_` default, or else the key itself), without polyglot and its polyfills in
 * the sign-in page's download. The desk speaks English only.
 */
export const i18nProvider: I18nProvider = {
  translate: (key: string, options: Record<string, unknown> = {}) => {
    const fallback = typeof options._ === 'string' ? options._ : key;
    return render(messageAt(key) ?? fallback, options);
  },
  changeLocale: () => Promise.resolve(),
  getLocale: () => 'en',
  getLocales: () => [{ locale: 'en', name: 'English' }],
};
