import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';

/** Where react-admin's `TitlePortal` in the app bar receives the page's title. */
const titleContainerId = 'react-admin-title';

/**
 * The page's title in the app bar, as react-admin's `Title` puts it there (a portal into the
 * bar's `TitlePortal`) without its configurable-title editor, for a page that must stay light.
 */
export const PageTitle = ({ title }: { title: string }) => {
  const [container, setContainer] = useState<HTMLElement | null>(() => document.getElementById(titleContainerId));
  // The app bar may mount after the page: then the container is looked up once more.
  useEffect(() => {
    setContainer((known) =>
      known && document.body.contains(known) ? known : document.getElementById(titleContainerId),
    );
  }, []);
  return container ? createPortal(<span>{title}</span>, container) : null;
};
