import type { FastifyInstance } from 'fastify';
import { sessionOf } from '../http/context.js';
import { countEvents } from '../events/events.queries.js';
import { countPeople } from '../people/people.queries.js';
import { reviewStatus, roleTitle } from '../policy/pack.summary.js';

export async function orgRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/dashboard', {
    config: { permission: 'org.view' },
    schema: { tags: ['city'], summary: 'The city at a glance: policy pack, review date, counts' },
  }, async (request) => {
    const s = sessionOf(request);
    const { org, pack, packDigest } = s.city;
    const people = await countPeople(app.db, org.id);
    return {
      city: { slug: org.slug, name: org.name, state: pack.city.state, website: pack.city.website },
      pack: { id: pack.id, title: pack.title, version: pack.version, digest: packDigest },
      review: { ...reviewStatus(pack, new Date()), reviewerTitle: roleTitle(pack, pack.review.reviewerRole) },
      counts: { ...people, events: await countEvents(app.db, org.id) },
    };
  });

  app.get('/api/policy', {
    config: { permission: 'pack.view' },
    schema: { tags: ['city'], summary: 'The policy pack in force for this city, with its digest' },
  }, async (request) => {
    const s = sessionOf(request);
    return { digest: s.city.packDigest, pack: s.city.pack };
  });
}
