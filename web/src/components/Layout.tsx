// The frame around every page: skip link, USWDS extended header with the city's name, the pages this
// person may use (the less used ones under "More" when there are many), their unread notifications,
// who is signed in and Sign out; the main region; and a footer with the public pages. The mobile
// menu and the "More" submenu are USWDS markup driven by React state (no USWDS JavaScript).
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, NavLink, useLocation, useNavigate } from 'react-router-dom';
import { useUnreadCount } from '../notifications.js';
import { hasPermission, useSession, type Need } from '../session.js';
import type { Session } from '../types.js';

export interface NavItem {
  to: string;
  label: string;
  /** One permission, any of several, or 'self' (every signed-in person). */
  permission: Need;
  /** Not shown to those who hold this one (they have a fuller page for the same thing). */
  unless?: string;
}

/** Requests: anyone who may ask for something or may decide a step of a chain. */
const REQUESTS_NEED = ['account.view', 'account.request', 'access.request', 'account.approve', 'access.approve', 'account.delete.approve', 'platform.approve'];

/** Records requests: the custodian (and department handlers) work them; any other staff member forwards one. */
export const RECORDS_NEED = ['records.request.manage', 'records.request.forward'];

/**
 * Incidents: vandalism alerts (account.view) and emergencies, whose leads, writers and template
 * approvers also open the page (from a notification); the bar shows it to the first two only.
 */
export const INCIDENTS_NEED = ['account.view', 'incident.lead', 'content.submit', 'content.approve'];

/** Authors, approvers who write nothing (a Mayor, a Supervisor) and publishers all work on drafts. */
export const CONTENT_NEED = ['content.submit', 'content.approve', 'content.publish'];

/** In order of use: when there are more than MAX_IN_BAR, the last ones go under "More". */
export const NAV_ITEMS: NavItem[] = [
  { to: '/', label: 'Dashboard', permission: 'org.view' },
  { to: '/content', label: 'Content', permission: CONTENT_NEED },
  { to: '/moderation', label: 'Moderation', permission: 'comment.view' },
  // Staff who may only report (KA-2, KA-10); moderators report from the queue itself.
  { to: '/report-comment', label: 'Report a comment', permission: 'comment.report', unless: 'comment.view' },
  { to: '/accounts', label: 'Accounts', permission: 'account.view' },
  { to: '/requests', label: 'Requests', permission: REQUESTS_NEED },
  { to: '/compliance', label: 'Compliance', permission: 'account.view' },
  { to: '/incidents', label: 'Incidents', permission: ['account.view', 'incident.lead'] },
  { to: '/archive', label: 'Archive', permission: 'archive.search' },
  { to: '/records', label: 'Records requests', permission: RECORDS_NEED },
  { to: '/people', label: 'People', permission: 'staff.view' },
  { to: '/training', label: 'Training', permission: 'staff.view' },
  { to: '/lists', label: 'Lists', permission: 'account.view' },
  { to: '/roles', label: 'Roles', permission: 'pack.view' },
  { to: '/policy', label: 'Policy', permission: 'pack.view' },
  { to: '/events', label: 'Events', permission: 'events.view' },
];

const MAX_IN_BAR = 7;

/** The items shown in the bar, and those under "More" (none when all fit). */
export function splitNav(items: NavItem[]): { bar: NavItem[]; more: NavItem[] } {
  if (items.length <= MAX_IN_BAR) return { bar: items, more: [] };
  return { bar: items.slice(0, MAX_IN_BAR - 1), more: items.slice(MAX_IN_BAR - 1) };
}

function isCurrent(pathname: string, to: string): boolean {
  return to === '/' ? pathname === '/' : pathname === to || pathname.startsWith(`${to}/`);
}

function SkipLink() {
  return (
    <a
      className="usa-skipnav"
      href="#main-content"
      onClick={(e) => {
        const main = document.getElementById('main-content');
        if (!main) return;
        e.preventDefault();
        main.focus();
        main.scrollIntoView();
      }}
    >
      Skip to main content
    </a>
  );
}

function CloseIcon() {
  return (
    <svg className="usa-icon usa-icon--size-3" aria-hidden="true" focusable="false" viewBox="0 0 24 24">
      <path fill="currentColor" d="M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z" />
    </svg>
  );
}

function publicLinks(session: Session | null) {
  const prefix = session ? `/p/${encodeURIComponent(session.city.slug)}` : '/p';
  return { acceptableUse: `${prefix}/acceptable-use`, policy: `${prefix}/policy` };
}

function Header({ session, cityName: pendingCity }: { session: Session | null; cityName?: string }) {
  const { signOut } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [open, setOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);

  const close = useCallback((returnFocus: boolean) => {
    setOpen(false);
    if (returnFocus) menuButton.current?.focus();
  }, []);

  // Close the mobile menu when the page changes.
  useEffect(() => {
    setOpen(false);
  }, [location.pathname]);

  useEffect(() => {
    // USWDS's class for an open mobile menu: stops the page behind it from scrolling.
    document.body.classList.toggle('usa-js-mobile-nav--active', open);
    if (!open) return;
    closeButton.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') close(true);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open, close]);

  const items = session ? NAV_ITEMS.filter((item) => hasPermission(session, item.permission) && !(item.unless && hasPermission(session, item.unless))) : [];
  const { bar, more } = splitNav(items);
  const cityName = session?.city.name ?? pendingCity ?? 'CivicDesk';
  const unread = useUnreadCount(session !== null, location.pathname);

  return (
    <>
      <div className={`usa-overlay${open ? ' is-visible' : ''}`} onClick={() => close(false)} aria-hidden="true" />
      <header className="usa-header usa-header--extended civic-header">
        <div className="usa-navbar">
          <div className="usa-logo">
            <em className="usa-logo__text">
              <Link to={session ? '/' : '/signin'}>
                {cityName}
                {session ? <span className="civic-header__product"> CivicDesk</span> : null}
              </Link>
            </em>
          </div>
          {session ? <NotificationsLink unread={unread} variant="mobile" /> : null}
          {session ? (
            <button
              ref={menuButton}
              type="button"
              className="usa-menu-btn"
              aria-expanded={open}
              aria-controls="primary-nav"
              onClick={() => setOpen(true)}
            >
              Menu
            </button>
          ) : null}
        </div>
        {session ? (
          <nav id="primary-nav" aria-label="Primary navigation" className={`usa-nav${open ? ' is-visible' : ''}`}>
            <div className="usa-nav__inner">
              <button ref={closeButton} type="button" className="usa-nav__close" onClick={() => close(true)}>
                <CloseIcon />
                <span className="usa-sr-only">Close menu</span>
              </button>
              <ul className="usa-nav__primary usa-accordion">
                {bar.map((item) => (
                  <li className="usa-nav__primary-item" key={item.to}>
                    <NavLink
                      to={item.to}
                      end={item.to === '/'}
                      className={({ isActive }) => `usa-nav-link${isActive ? ' usa-current' : ''}`}
                    >
                      <span>{item.label}</span>
                    </NavLink>
                  </li>
                ))}
                {more.length ? <MoreMenu items={more} pathname={location.pathname} /> : null}
              </ul>
              <div className="usa-nav__secondary">
                <ul className="usa-nav__secondary-links">
                  <li className="usa-nav__secondary-item">
                    <NotificationsLink unread={unread} variant="full" />
                  </li>
                  <li className="usa-nav__secondary-item civic-user">
                    <span className="usa-sr-only">Signed in as </span>
                    <span data-testid="signed-in-user">{session.user.displayName}</span>
                    {session.user.roles.length ? (
                      <span className="text-base-dark"> ({session.user.roles.map((r) => r.title).join(', ')})</span>
                    ) : null}
                  </li>
                  <li className="usa-nav__secondary-item">
                    <button
                      type="button"
                      className="usa-button usa-button--unstyled civic-signout"
                      onClick={async () => {
                        await signOut();
                        navigate('/signin', { replace: true });
                      }}
                    >
                      Sign out
                    </button>
                  </li>
                </ul>
              </div>
            </div>
          </nav>
        ) : null}
      </header>
    </>
  );
}

/**
 * The unread count, linking to the notifications page. "mobile" sits beside the Menu button on
 * narrow screens (the full one is inside the closed menu there); CSS shows one or the other.
 */
function NotificationsLink({ unread, variant }: { unread: number | null; variant: 'full' | 'mobile' }) {
  const count = unread ?? 0;
  return (
    <Link
      to="/notifications"
      className={`civic-bell civic-bell--${variant}`}
      data-testid={variant === 'full' ? 'notifications-link' : 'notifications-link-mobile'}
    >
      <svg className="usa-icon civic-bell__icon" aria-hidden="true" focusable="false" viewBox="0 0 24 24">
        <path fill="currentColor" d="M12 22c1.1 0 2-.9 2-2h-4c0 1.1.9 2 2 2zm6-6v-5c0-3.07-1.64-5.64-4.5-6.32V4c0-.83-.67-1.5-1.5-1.5s-1.5.67-1.5 1.5v.68C7.63 5.36 6 7.92 6 11v5l-2 2v1h16v-1l-2-2z" />
      </svg>
      <span className={variant === 'mobile' ? 'usa-sr-only' : undefined}>Notifications</span>
      {count > 0 ? (
        <>
          <span className="civic-bell__count" data-testid="unread-count">{count}</span>
          <span className="usa-sr-only"> unread</span>
        </>
      ) : null}
    </Link>
  );
}

/** USWDS nav submenu: a button that opens a list of links; Escape or a click elsewhere closes it. */
function MoreMenu({ items, pathname }: { items: NavItem[]; pathname: string }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const root = useRef<HTMLLIElement>(null);
  const current = items.some((i) => isCurrent(pathname, i.to));

  useEffect(() => {
    setOpen(false);
  }, [pathname]);

  useEffect(() => {
    if (!open) return;
    const away = (e: PointerEvent) => {
      if (root.current && e.target instanceof Node && !root.current.contains(e.target)) setOpen(false);
    };
    document.addEventListener('pointerdown', away);
    return () => document.removeEventListener('pointerdown', away);
  }, [open]);

  return (
    <li
      ref={root}
      className="usa-nav__primary-item"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          // Closes this submenu only, not the mobile menu around it.
          e.stopPropagation();
          e.nativeEvent.stopImmediatePropagation();
          setOpen(false);
          button.current?.focus();
        }
      }}
    >
      <button
        ref={button}
        type="button"
        className={`usa-accordion__button usa-nav__link${current ? ' usa-current' : ''}`}
        aria-expanded={open}
        aria-controls="nav-more"
        onClick={() => setOpen((o) => !o)}
      >
        <span>More</span>
      </button>
      <ul id="nav-more" className="usa-nav__submenu" hidden={!open}>
        {items.map((item) => (
          <li className="usa-nav__submenu-item" key={item.to}>
            <NavLink to={item.to} end={item.to === '/'} className={({ isActive }) => (isActive ? 'usa-current' : '')}>
              <span>{item.label}</span>
            </NavLink>
          </li>
        ))}
      </ul>
    </li>
  );
}

function Footer({ session }: { session: Session | null }) {
  const links = publicLinks(session);
  return (
    <footer className="usa-footer usa-footer--slim">
      <div className="usa-footer__primary-section">
        <div className="grid-container">
          <nav className="usa-footer__nav civic-footer__nav" aria-label="Footer navigation">
            <ul className="add-list-reset grid-row grid-gap">
              <li className="mobile-lg:grid-col-auto usa-footer__primary-content">
                <a className="usa-footer__primary-link" href={links.acceptableUse}>Acceptable Use statement</a>
              </li>
              <li className="mobile-lg:grid-col-auto usa-footer__primary-content">
                <a className="usa-footer__primary-link" href={links.policy}>Public policy summary</a>
              </li>
              <li className="mobile-lg:grid-col-auto usa-footer__primary-content">
                <a className="usa-footer__primary-link" href="/api/docs">API documentation</a>
              </li>
            </ul>
          </nav>
        </div>
      </div>
      <div className="usa-footer__secondary-section">
        <div className="grid-container">
          <p className="margin-0">
            {session ? `${session.city.name} runs its official social media with CivicDesk, under its adopted social media policy.` : 'CivicDesk: official city social media, run under the city\'s adopted policy.'}
          </p>
        </div>
      </div>
    </footer>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const { state } = useSession();
  // Only a fully signed-in session (second factor passed) shows the navigation.
  const session = state.status === 'signed_in' && state.session.mfaPassed ? state.session : null;
  // Between password and second factor the city is known, but nothing else is available yet.
  const pendingCity = state.status === 'signed_in' ? state.session.city.name : undefined;
  return (
    <>
      <SkipLink />
      <Header session={session} cityName={pendingCity} />
      <main id="main-content" tabIndex={-1} className="grid-container padding-y-4 civic-main">
        {children}
      </main>
      <Footer session={session} />
    </>
  );
}
