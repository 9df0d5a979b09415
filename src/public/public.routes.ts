// Public pages (no sign-in): the Acceptable Use statement every official site links to (RL-12,
// KA-3, BZ-16) and the adopted policy's summary with its review date (RL-14).
import type { FastifyInstance, FastifyReply } from 'fastify';
import { findOrgBySlug, listOrganizations, loadOrg, type OrgWithPack } from '../org/org.queries.js';
import { acceptableUseView, reviewStatus, roleTitle } from '../policy/pack.summary.js';
import { esc, html, page, sourcesTag } from './html.js';
import { transparencyLog } from '../moderation/moderation.queries.js';

type PageKind = 'acceptable-use' | 'policy' | 'moderation';

export async function publicRoutes(app: FastifyInstance): Promise<void> {
  const render = async (reply: FastifyReply, slug: string | undefined, kind: PageKind) => {
    const city = await resolveCity(app, slug);
    if (!city) {
      const orgs = await listOrganizations(app.db);
      const list = html`<h1>Choose a city</h1><ul class="usa-list">${orgs.map((o) => html`<li><a class="usa-link" href="/p/${o.slug}/${kind}">${o.name}</a></li>`)}</ul>`;
      return reply.status(slug ? 404 : 200).type('text/html; charset=utf-8').send(page({ title: 'Cities', cityName: 'CivicDesk', body: list }));
    }
    const body = kind === 'acceptable-use' ? acceptableUsePage(city) : kind === 'policy' ? policyPage(city) : await moderationLogPage(app, city);
    const title = kind === 'acceptable-use' ? 'Acceptable Use' : kind === 'policy' ? 'Social media policy' : 'Comment removals';
    return reply.type('text/html; charset=utf-8').send(page({ title, cityName: city.org.name, body }));
  };

  app.get('/p/acceptable-use', async (_req, reply) => render(reply, undefined, 'acceptable-use'));
  app.get('/p/policy', async (_req, reply) => render(reply, undefined, 'policy'));
  app.get<{ Params: { city: string } }>('/p/:city/acceptable-use', async (req, reply) => render(reply, req.params.city, 'acceptable-use'));
  app.get<{ Params: { city: string } }>('/p/:city/policy', async (req, reply) => render(reply, req.params.city, 'policy'));
  app.get('/p/moderation', async (_req, reply) => render(reply, undefined, 'moderation'));
  app.get<{ Params: { city: string } }>('/p/:city/moderation', async (req, reply) => render(reply, req.params.city, 'moderation'));
}

/**
 * The public transparency log: every comment the city hid, deleted or restored, when, under which clause
 * and why. Posters are not named: the log shows how the policy is applied without republishing
 * who was moderated (the archive keeps the full record for records requests).
 */
async function moderationLogPage(app: FastifyInstance, city: OrgWithPack) {
  const rows = await transparencyLog(app.db, city.org.id);
  const clause = (id: string | null) => city.pack.acceptableUse.clauses.find((c) => c.id === id);
  const words: Record<string, string> = { hide: 'Hidden', delete: 'Deleted', approve_removal: 'Hidden (attorney approved)', restore: 'Restored' };
  // An approval may delete instead of hide: a deleted comment's approval says so (deletion is final).
  const word = (r: (typeof rows)[number]) => (r.action === 'approve_removal' && r.state === 'deleted' ? 'Deleted (attorney approved)' : words[r.action] ?? r.action);
  return html`<h1>Comment removals</h1>
    <p>Every comment this city hid or restored on its official accounts, with the clause of the <a class="usa-link" href="/p/${city.org.slug}/acceptable-use">Acceptable Use Policy</a> it was hidden under and the reason recorded at the time. Criticism of the city or its officials is never a reason.</p>
    ${rows.length === 0 ? html`<p>No comment has been hidden.</p>` : html`<table class="usa-table usa-table--stacked"><caption>Removals, newest first</caption>
      <thead><tr><th scope="col">Date</th><th scope="col">Action</th><th scope="col">Platform</th><th scope="col">Clause</th><th scope="col">Reason</th></tr></thead>
      <tbody>${rows.map((r) => html`<tr><td data-label="Date">${r.created_at.slice(0, 10)}</td><td data-label="Action">${word(r)}</td><td data-label="Platform">${r.platform}</td>
        <td data-label="Clause">${clause(r.clause_id)?.text ?? r.clause_id ?? ''} ${sourcesTag(clause(r.clause_id)?.sources)}</td><td data-label="Reason">${r.reason ?? ''}</td></tr>`)}</tbody></table>`}`;
}

async function resolveCity(app: FastifyInstance, slug: string | undefined): Promise<OrgWithPack | undefined> {
  if (slug) {
    const org = await findOrgBySlug(app.db, slug);
    return org ? loadOrg(app.db, org.id) : undefined;
  }
  // `/p/...` alone works when the deployment hosts exactly one city.
  const orgs = await listOrganizations(app.db);
  return orgs.length === 1 && orgs[0] ? loadOrg(app.db, orgs[0].id) : undefined;
}

/** The statement is kept verbatim; its line breaks become paragraphs and line breaks, nothing more. */
function paragraphs(text: string) {
  return text.split(/\n\s*\n/).map((para) => {
    const lines = para.split('\n');
    return html`<p>${lines.map((line, i) => html`${i > 0 ? html`<br>` : ''}${line}`)}</p>`;
  });
}

function acceptableUsePage(city: OrgWithPack) {
  const view = acceptableUseView(city.pack);
  const disclosures = city.pack.disclosures.filter((d) => d.appliesTo.includes('public_page'));
  return html`
<h1>Acceptable Use of ${city.org.name}'s social media</h1>
<section aria-labelledby="purpose"><h2 id="purpose">What these sites are for</h2><p>${view.forumPurpose}</p></section>
<section aria-labelledby="statement"><h2 id="statement">Acceptable Use statement</h2>
<div class="usa-prose">${paragraphs(view.statement)}</div>${sourcesTag(view.sources)}</section>
<section aria-labelledby="rules"><h2 id="rules">Comments that may be removed</h2>
<p>Comments are never removed because they criticise the city, its officials or its policies. A comment may be removed only for one of these reasons, by a person, and the removed comment is kept as a public record.</p>
<ol class="usa-list">${view.clauses.map((c) => html`<li>${c.text} ${sourcesTag(c.sources)}</li>`)}</ol></section>
<section aria-labelledby="contact"><h2 id="contact">Other ways to reach the city</h2>
<ul class="usa-list">${view.contactRoutes.map((r) => html`<li>${r.label}: ${r.kind === 'website' ? html`<a class="usa-link" href="${r.value}">${r.value}</a>` : r.kind === 'email' ? html`<a class="usa-link" href="mailto:${r.value}">${r.value}</a>` : r.value}</li>`)}</ul></section>
${disclosures.map((d) => html`<div class="usa-alert usa-alert--info usa-alert--slim"><div class="usa-alert__body"><p class="usa-alert__text">${d.text} ${sourcesTag(d.sources)}</p></div></div>`)}
<p class="margin-top-4"><a class="usa-link" href="/p/${city.org.slug}/policy">Read the social media policy summary</a>. Policy version ${esc(city.pack.version)}.</p>`;
}

function policyPage(city: OrgWithPack) {
  const { pack } = city;
  const review = reviewStatus(pack, new Date());
  const m = pack.moderation;
  return html`
<h1>${pack.title}</h1>
<p>${pack.source.document}${pack.source.adopted ? html`, adopted ${pack.source.adopted}` : ''}. Policy version ${pack.version}.</p>
<div class="usa-summary-box margin-y-3" role="region" aria-labelledby="review-heading"><div class="usa-summary-box__body">
<h2 class="usa-summary-box__heading" id="review-heading">Policy review</h2>
<p>Next review due <strong>${review.nextReviewDue}</strong>${review.overdue ? html` — <strong>overdue</strong>` : html` (in ${review.daysUntil} days)`}. ${sourcesTag(pack.review.sources)}</p>
</div></div>
<h2>Who does what</h2>
<ul class="usa-list">${pack.roles.map((r) => html`<li><strong>${r.title}</strong>: ${r.description} ${sourcesTag(r.sources)}</li>`)}</ul>
<h2>Comments</h2>
<ul class="usa-list">
<li>Who responds to the public for the city: ${m.responders.map((id) => roleTitle(pack, id)).join(', ') || 'nobody'}</li>
<li>Who may hide or remove a comment: ${m.hideDelete.map((id) => roleTitle(pack, id)).join(', ') || 'nobody'}</li>
${m.removalRequiresAttorneyApproval ? html`<li>A comment is removed only after the City Attorney has reviewed it and approved removal.</li>` : ''}
${m.preModeration ? html`<li>Comments are pre-moderated where the platform allows it.</li>` : ''}
${m.publicPostingDisabled ? html`<li>The public cannot post on the city's sites; use the contact routes on the <a class="usa-link" href="/p/${city.org.slug}/acceptable-use">Acceptable Use page</a>.</li>` : ''}
<li>Staff never edit a comment. ${sourcesTag(m.sources)}</li>
</ul>
<h2>Records</h2>
<ul class="usa-list">${pack.retention.map((s) => html`<li>${s.label}: ${s.retainYears === 'permanent' ? 'kept; nothing is destroyed until a retention period is set under' : `kept ${s.retainYears} years under`} ${s.authority} ${sourcesTag(s.sources)}</li>`)}</ul>
<p><a class="usa-link" href="/p/${city.org.slug}/acceptable-use">Acceptable Use statement</a></p>`;
}
