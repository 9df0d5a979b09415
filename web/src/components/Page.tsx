// Every page starts with <Page>: it sets the document title and renders the page's one <h1>. Moving
// to a new page puts keyboard and screen-reader focus on that heading, so people hear where they
// arrived (the browser does not do this for client-side navigation).
import { useEffect, useRef, type ReactNode } from 'react';
import { useSession } from '../session.js';

// Focus moves to a new page's heading only once the person has done something (clicked, pressed a
// key, gone back): on the first load, and on redirects before any action, the browser's own start
// position (the skip link first) is what keyboard users expect.
let personHasActed = false;
if (typeof window !== 'undefined') {
  const acted = () => {
    personHasActed = true;
  };
  for (const type of ['pointerdown', 'keydown', 'popstate'] as const) {
    window.addEventListener(type, acted, { capture: true, once: true });
  }
}

export function pageTitle(title: string, cityName?: string): string {
  return cityName ? `${title} | ${cityName} | CivicDesk` : `${title} | CivicDesk`;
}

export function usePageTitle(title: string): void {
  const { state } = useSession();
  const cityName = state.status === 'signed_in' ? state.session.city.name : undefined;
  useEffect(() => {
    document.title = pageTitle(title, cityName);
  }, [title, cityName]);
}

export function PageHeading({ children, focusKey }: { children: ReactNode; focusKey?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (personHasActed) ref.current?.focus();
  }, [focusKey]);
  return (
    <h1 ref={ref} tabIndex={-1} className="margin-top-0 page-heading">
      {children}
    </h1>
  );
}

export function Page({ title, heading, lead, children }: { title: string; heading?: ReactNode; lead?: ReactNode; children?: ReactNode }) {
  usePageTitle(title);
  return (
    <>
      <PageHeading focusKey={title}>{heading ?? title}</PageHeading>
      {lead ? <p className="usa-intro margin-top-1">{lead}</p> : null}
      {children}
    </>
  );
}
