// Routes of the staff web app. Staff pages need a full sign-in (password and second factor) and the
// permission the page is for; anything else is sent to the right step or told what is missing.
import type { ReactNode } from 'react';
import { BrowserRouter, Link, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { Loading } from './components/Alerts.js';
import { ArchiveSection } from './components/Archive.js';
import { CONTENT_NEED, INCIDENTS_NEED, Layout, NAV_ITEMS, RECORDS_NEED } from './components/Layout.js';
import { Page } from './components/Page.js';
import { AccountPage } from './pages/Account.js';
import { AccountsPage } from './pages/Accounts.js';
import { ArchiveHoldsPage } from './pages/ArchiveHolds.js';
import { ArchiveIntegrityPage } from './pages/ArchiveIntegrity.js';
import { ArchiveRecordPage } from './pages/ArchiveRecord.js';
import { ArchiveRetentionPage } from './pages/ArchiveRetention.js';
import { ArchiveSearchPage } from './pages/ArchiveSearch.js';
import { ArchiveThreadPage } from './pages/ArchiveThread.js';
import { CompliancePage } from './pages/Compliance.js';
import { ContentPage } from './pages/Content.js';
import { ContentCalendarPage } from './pages/ContentCalendar.js';
import { ContentComposePage } from './pages/ContentCompose.js';
import { ContentDraftPage } from './pages/ContentDraft.js';
import { DashboardPage } from './pages/Dashboard.js';
import { EnrolPage } from './pages/Enrol.js';
import { EventsPage } from './pages/Events.js';
import { IncidentsPage } from './pages/Incidents.js';
import { ListsPage } from './pages/Lists.js';
import { ModerationPage } from './pages/Moderation.js';
import { ModerationItemPage } from './pages/ModerationItem.js';
import { ModerationReportPage } from './pages/ModerationReport.js';
import { NotificationsPage } from './pages/Notifications.js';
import { PeoplePage } from './pages/People.js';
import { PolicyPage } from './pages/Policy.js';
import { RecordsPage } from './pages/Records.js';
import { RecordsPdfPage } from './pages/RecordsPdf.js';
import { RecordsRequestPage } from './pages/RecordsRequest.js';
import { RequestPage } from './pages/Request.js';
import { RequestNewPage } from './pages/RequestNew.js';
import { RequestsPage } from './pages/Requests.js';
import { RolesPage } from './pages/Roles.js';
import { SignInPage } from './pages/SignIn.js';
import { TrainingPage } from './pages/Training.js';
import { hasPermission, SessionProvider, useSession, type Need } from './session.js';

function RequireSession({ permission, children }: { permission: Need; children: ReactNode }) {
  const { state } = useSession();
  const location = useLocation();
  if (state.status === 'loading') return <Loading what="your session" />;
  if (state.status === 'signed_out') {
    // After Sign out, the next sign-in starts at the dashboard; otherwise come back here.
    if (state.justSignedOut) return <Navigate to="/signin" replace />;
    return <Navigate to="/signin" replace state={{ from: `${location.pathname}${location.search}${location.hash}` }} />;
  }
  const { session } = state;
  if (!session.mfaPassed) {
    return session.user.totpEnabled
      ? <Navigate to="/signin" replace state={{ from: location.pathname }} />
      : <Navigate to="/enrol-2fa" replace />;
  }
  if (!hasPermission(session, permission)) return <NotAllowed permission={permission} />;
  return <>{children}</>;
}

function NotAllowed({ permission }: { permission: Need }) {
  const { state } = useSession();
  const session = state.status === 'signed_in' ? state.session : null;
  const firstAllowed = session ? NAV_ITEMS.find((i) => hasPermission(session, i.permission)) : undefined;
  return (
    <Page title="Not available to you">
      <p>
        None of your roles ({session?.user.roles.map((r) => r.title).join(', ') || 'no roles'}) includes {typeof permission === 'string' ? <code>{permission}</code> : permission.map((p, i) => <span key={p}>{i ? ' or ' : ''}<code>{p}</code></span>)} under your city's policy.
        Ask an administrator if you need it.
      </p>
      {firstAllowed && firstAllowed.to !== '/' ? (
        <p><Link className="usa-link" to={firstAllowed.to}>Go to {firstAllowed.label}</Link></p>
      ) : null}
    </Page>
  );
}

function NotFound() {
  return (
    <Page title="Page not found">
      <p>There is no page at this address. Check the address, or go to the <Link className="usa-link" to="/">dashboard</Link>.</p>
    </Page>
  );
}

export function AppRoutes() {
  return (
    <Layout>
      <Routes>
        <Route path="/signin" element={<SignInPage />} />
        <Route path="/enrol-2fa" element={<EnrolPage />} />
        <Route path="/" element={<RequireSession permission="org.view"><DashboardPage /></RequireSession>} />
        <Route path="/people" element={<RequireSession permission="staff.view"><PeoplePage /></RequireSession>} />
        <Route path="/roles" element={<RequireSession permission="pack.view"><RolesPage /></RequireSession>} />
        <Route path="/policy" element={<RequireSession permission="pack.view"><PolicyPage /></RequireSession>} />
        <Route path="/events" element={<RequireSession permission="events.view"><EventsPage /></RequireSession>} />
        <Route path="/accounts" element={<RequireSession permission="account.view"><AccountsPage /></RequireSession>} />
        <Route path="/accounts/:id" element={<RequireSession permission="account.view"><AccountPage /></RequireSession>} />
        {/* Requests are 'self': anyone sees their own and those waiting for their roles; the server decides. */}
        <Route path="/requests" element={<RequireSession permission="self"><RequestsPage /></RequireSession>} />
        <Route path="/requests/new" element={<RequireSession permission={['account.request', 'access.request']}><RequestNewPage /></RequireSession>} />
        <Route path="/requests/:id" element={<RequireSession permission="self"><RequestPage /></RequireSession>} />
        <Route path="/content" element={<RequireSession permission={CONTENT_NEED}><ContentPage /></RequireSession>} />
        <Route path="/content/new" element={<RequireSession permission="content.submit"><ContentComposePage /></RequireSession>} />
        <Route path="/content/calendar" element={<RequireSession permission={CONTENT_NEED}><ContentCalendarPage /></RequireSession>} />
        <Route path="/content/:id/edit" element={<RequireSession permission="content.submit"><ContentComposePage /></RequireSession>} />
        <Route path="/content/:id" element={<RequireSession permission={CONTENT_NEED}><ContentDraftPage /></RequireSession>} />
        <Route path="/moderation" element={<RequireSession permission="comment.view"><ModerationPage /></RequireSession>} />
        <Route path="/moderation/:id" element={<RequireSession permission="comment.view"><ModerationItemPage /></RequireSession>} />
        <Route path="/report-comment" element={<RequireSession permission="comment.report"><ModerationReportPage /></RequireSession>} />
        <Route path="/incidents" element={<RequireSession permission={INCIDENTS_NEED}><IncidentsPage /></RequireSession>} />
        <Route path="/compliance" element={<RequireSession permission="account.view"><CompliancePage /></RequireSession>} />
        <Route path="/lists" element={<RequireSession permission="account.view"><ListsPage /></RequireSession>} />
        <Route path="/training" element={<RequireSession permission="staff.view"><TrainingPage /></RequireSession>} />
        {/* Records requests: the page adapts (the custodian's dashboard, or forwarding only); the server decides. */}
        <Route path="/records" element={<RequireSession permission={RECORDS_NEED}><RecordsPage /></RequireSession>} />
        <Route path="/records/:id" element={<RequireSession permission="records.request.manage"><RecordsRequestPage /></RequireSession>} />
        {/* The address notifications of forwarded requests link to. */}
        <Route path="/records/requests/:id" element={<RequireSession permission="records.request.manage"><RecordsRequestPage /></RequireSession>} />
        <Route path="/records/:id/productions/:pid/pdf" element={<RequireSession permission="records.request.manage"><RecordsPdfPage /></RequireSession>} />
        <Route path="/notifications" element={<RequireSession permission="self"><NotificationsPage /></RequireSession>} />
        <Route path="/archive" element={<RequireSession permission="archive.search"><ArchiveSection /></RequireSession>}>
          <Route index element={<ArchiveSearchPage />} />
          <Route path="records/:id" element={<ArchiveRecordPage />} />
          <Route path="thread" element={<ArchiveThreadPage />} />
          <Route path="integrity" element={<ArchiveIntegrityPage />} />
          <Route path="holds" element={<ArchiveHoldsPage />} />
          <Route path="retention" element={<ArchiveRetentionPage />} />
        </Route>
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Layout>
  );
}

export function App() {
  return (
    <BrowserRouter>
      <SessionProvider>
        <AppRoutes />
      </SessionProvider>
    </BrowserRouter>
  );
}
