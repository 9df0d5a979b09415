// Every page starts with <Page>: it sets the document title and renders the page's one <h1>. After
// the first page, moving to a new page puts keyboard and screen-reader focus on that heading, so
// people hear where they arrived (the browser does not do this for client-side navigation).
import { useEffect, useRef, type ReactNode } from 'react';
import { useSession } from '../session.js';

let firstPageShown = false;

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
    if (firstPageShown) ref.current?.focus();
    firstPageShown = true;
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
