import type { DataProvider } from 'react-admin';

/**
 * The data provider, fetched on its first call: the sign-in page never calls it, so its code
 * (every domain's typed API) is not part of that page's download. Each method answers once the
 * provider's chunk is in, then exactly as the provider does.
 */
export function lazyDataProvider(load: () => Promise<DataProvider>): DataProvider {
  let loading: Promise<DataProvider> | undefined;
  const provider = () => {
    loading ??= load();
    return loading;
  };
  const methods = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  return new Proxy<DataProvider>({} as DataProvider, {
    get: (_target, name) => {
      // Not a method: a promise check (`then`) or a symbol must not look like one.
      if (typeof name !== 'string' || name === 'then' || name === 'supportAbortSignal') return undefined;
      let method = methods.get(name);
      if (!method) {
        method = (...args: unknown[]) =>
          provider().then((loaded) => {
            const call: unknown = loaded[name];
            if (typeof call !== 'function') throw new Error(`The data provider has no method "${name}".`);
            return call.apply(loaded, args);
          });
        methods.set(name, method);
      }
      return method;
    },
  });
}
