// The closed vocabularies of a policy pack, kept apart from the schema so that modules the schema
// itself imports (the cross-reference checks) can use them without an import cycle.

/** Grounds on which a public comment may be removed; each is viewpoint-neutral by construction. */
export const AUP_CATEGORIES = [
  'political_campaign',
  'commercial',
  'profanity',
  'threat',
  'harassment',
  'personal_attack',
  'discrimination',
  'sexual',
  'privacy',
  'illegal_activity',
  'copyright',
  'public_safety',
  'off_topic',
] as const;
export type AupCategory = (typeof AUP_CATEGORIES)[number];

export const CONTACT_KINDS = ['email', 'phone', 'website', 'in_person', 'mail'] as const;
export const TRAINING_GATES = ['account_access', 'site_creation', 'content_submission'] as const;
export const DISCLOSURE_TARGETS = ['post', 'profile', 'public_page', 'staff_personal_post'] as const;
export const CHAIN_KEYS = ['content', 'newAccount', 'adminChange', 'staffAccess', 'accountDeletion'] as const;
export type ChainKey = (typeof CHAIN_KEYS)[number];
export const REVIEW_SUBJECTS = ['policy_document', 'social_media_use'] as const;
