// A policy pack is a city's adopted social media policy written as data. The software enforces
// whatever the pack says, and every rule cites the POLICY-MAP ids it encodes, so a decision can be
// traced back to the sentence of the policy that required it. Objects are strict: a misspelt field
// would otherwise be silently ignored and the rule it meant to set would not apply.
import { z } from 'zod';
import { checkPackReferences } from './pack.crossref.js';
import {
  BlankKeySchema,
  EmailDomainSchema,
  GrantSchema,
  IsoDateSchema,
  KebabIdSchema,
  RoleIdSchema,
  SnakeIdSchema,
  SourceIdSchema,
  SourcesSchema,
  StateSchema,
  TextSchema,
  TimeZoneSchema,
  WebUrlSchema,
} from './pack.fields.js';
import {
  AUP_CATEGORIES,
  CONTACT_KINDS,
  DISCLOSURE_TARGETS,
  REVIEW_SUBJECTS,
  TRAINING_GATES,
  type ChainKey,
} from './pack.constants.js';

// Re-exported so callers find the vocabularies beside the schema that uses them.
export {
  AUP_CATEGORIES,
  CHAIN_KEYS,
  CONTACT_KINDS,
  DISCLOSURE_TARGETS,
  REVIEW_SUBJECTS,
  TRAINING_GATES,
  type AupCategory,
  type ChainKey,
} from './pack.constants.js';

const Count = z.int().min(0);
const PositiveCount = z.int().min(1);

const SourceDocumentSchema = z.strictObject({
  document: TextSchema,
  /** A `{{adopted_on}}` blank in a model the adopting city fills (LMC, policy 702). */
  adopted: IsoDateSchema,
  resolution: TextSchema.optional(),
  seedFile: TextSchema,
});

const ContactRouteSchema = z.strictObject({
  kind: z.enum(CONTACT_KINDS),
  label: TextSchema,
  value: TextSchema,
});

const CitySchema = z.strictObject({
  name: TextSchema,
  state: StateSchema,
  timeZone: TimeZoneSchema,
  website: WebUrlSchema,
  emailDomain: EmailDomainSchema,
  contactRoutes: z.array(ContactRouteSchema).min(1),
});

const RoleSchema = z.strictObject({
  id: RoleIdSchema,
  title: TextSchema,
  description: TextSchema,
  grants: z.array(GrantSchema),
  sources: SourcesSchema,
});

const ApprovalStepSchema = z.strictObject({ role: RoleIdSchema, label: TextSchema });

const ApprovalChainSchema = z.strictObject({
  steps: z.array(ApprovalStepSchema).min(1),
  /** Literal false: no policy lets anyone approve their own request, and no pack may say otherwise. */
  selfApproval: z.literal(false),
  notes: TextSchema.optional(),
  sources: SourcesSchema,
});

const ApprovalChainsSchema = z.strictObject({
  content: ApprovalChainSchema,
  newAccount: ApprovalChainSchema,
  adminChange: ApprovalChainSchema,
  staffAccess: ApprovalChainSchema,
  accountDeletion: ApprovalChainSchema,
});

const ClauseSchema = z.strictObject({
  id: KebabIdSchema,
  text: TextSchema,
  category: z.enum(AUP_CATEGORIES),
  sources: SourcesSchema,
});

const AcceptableUseSchema = z.strictObject({
  /** What the public is shown. Verbatim where the policy prescribes a statement (KA-11, BZ-16). */
  statement: TextSchema,
  /** False when the policy prescribes none and the statement is assembled from its sentences. */
  statementVerbatim: z.boolean(),
  forumPurpose: TextSchema,
  mustAppearOnEverySite: z.boolean(),
  clauses: z.array(ClauseSchema),
  notes: TextSchema.optional(),
  sources: SourcesSchema,
});

/**
 * Blocking a person from an account (not just removing a comment). Off unless the adopted policy
 * allows it: blocking restricts someone's future speech in a public forum, so every condition here
 * is a floor the command enforces, and a block always ends (maxDays; no permanent block).
 */
const BlockingSchema = z.strictObject({
  enabled: z.boolean(),
  /** Removals (hide/delete) of the person's comments on the account that must already be on record. */
  minViolations: PositiveCount,
  requiresPriorWarning: z.boolean(),
  maxDays: z.int().min(1).max(365),
  requiresAttorneyApproval: z.boolean(),
  notes: TextSchema.optional(),
  sources: SourcesSchema,
});

const ModerationSchema = z.strictObject({
  responders: z.array(RoleIdSchema),
  /** Used only when every primary responder is unavailable (KA-2, KA-10). */
  fallbackResponders: z.array(RoleIdSchema),
  /** Where staff report an inappropriate post, in the order the policy names them. */
  reportTo: z.array(RoleIdSchema),
  hideDelete: z.array(RoleIdSchema),
  removalRequiresAttorneyApproval: z.boolean(),
  attorneyRole: RoleIdSchema.optional(),
  preModeration: z.boolean(),
  publicPostingDisabled: z.boolean(),
  /** Literal false: an edited comment is no longer the public record the commenter made. */
  staffMayEditComments: z.literal(false),
  /** Absent means off. */
  blocking: BlockingSchema.optional(),
  notes: TextSchema.optional(),
  sources: SourcesSchema,
});

const PasswordSchema = z.strictObject({
  /** 0 when the policy sets no length. */
  minLength: Count,
  requireUpper: z.boolean(),
  requireLower: z.boolean(),
  requireDigit: z.boolean(),
  requireSymbol: z.boolean(),
  notReusedAcrossAccounts: z.boolean(),
});

const SecuritySchema = z.strictObject({
  twoFactorRequired: z.boolean(),
  /** How often staff re-confirm 2FA is on for each platform account; null when 2FA is not required. */
  twoFactorAttestationDays: PositiveCount.nullable(),
  itAdminOnEveryAccount: z.boolean(),
  itAdminRole: RoleIdSchema.optional(),
  signupEmailDomainRequired: z.boolean(),
  password: PasswordSchema,
  noRememberMe: z.boolean(),
  noSavedPasswords: z.boolean(),
  instantMessagingProhibited: z.boolean(),
  cityEquipmentOnly: z.boolean(),
  credentialsCustodianRole: RoleIdSchema.optional(),
  vandalismNotifyRole: RoleIdSchema.optional(),
  notes: TextSchema.optional(),
  sources: SourcesSchema,
});

const TrainingSchema = z.strictObject({
  id: KebabIdSchema,
  title: TextSchema,
  topics: z.array(TextSchema).min(1),
  renewEveryMonths: PositiveCount.optional(),
  requiredFor: z.array(z.enum(TRAINING_GATES)).min(1),
  providedBy: RoleIdSchema.optional(),
  sources: SourcesSchema,
});

const RetentionSchema = z.strictObject({
  series: SnakeIdSchema,
  label: TextSchema,
  retainYears: z.union([PositiveCount, z.literal('permanent')], {
    error: 'expected a whole number of years (1 or more) or "permanent"',
  }),
  authority: TextSchema,
  notes: TextSchema.optional(),
  sources: SourcesSchema,
});

const ArchivingSchema = z.strictObject({
  requiredBeforeGoLive: z.boolean(),
  storage: TextSchema,
  tool: TextSchema.optional(),
  costPerSitePerMonthUsd: z.number().min(0).optional(),
  sources: SourcesSchema,
});

const ReviewSchema = z.strictObject({
  /**
   * False where the policy sets no review: CivicDesk still reminds the city on a stated cycle so a
   * policy does not silently go stale, and says the reminder is its own (sources may then be empty).
   */
  requiredByPolicy: z.boolean(),
  subject: z.enum(REVIEW_SUBJECTS),
  cycleMonths: PositiveCount,
  adoptedOn: IsoDateSchema,
  /** Absent in a template: due `cycleMonths` after adoptedOn, known once the city fills it in. */
  nextReviewDue: IsoDateSchema.optional(),
  reviewerRole: RoleIdSchema,
  description: TextSchema,
  sources: z.array(SourceIdSchema),
});

const DisclosureSchema = z.strictObject({
  id: KebabIdSchema,
  text: TextSchema,
  /** False when the policy requires the notice but gives no wording, so the wording is ours. */
  verbatim: z.boolean(),
  appliesTo: z.array(z.enum(DISCLOSURE_TARGETS)).min(1),
  sources: SourcesSchema,
});

const PlatformSchema = z.strictObject({
  id: KebabIdSchema,
  name: TextSchema,
  note: TextSchema.optional(),
  sources: SourcesSchema,
});

const ContentSchema = z.strictObject({
  categories: z.array(z.strictObject({ id: SnakeIdSchema, label: TextSchema })).optional(),
  websiteFirst: z.boolean(),
  emergencyMayPostFirst: z.boolean(),
  linkBackRequired: z.boolean(),
  standards: z.array(z.strictObject({ id: KebabIdSchema, text: TextSchema, sources: SourcesSchema })),
  sources: SourcesSchema,
});

const ExemptionSchema = z.strictObject({
  /** Cited by redactions, exclusions and denial letters: "third-party-private". */
  code: KebabIdSchema,
  label: TextSchema,
  /** The statute or constitutional provision, as the letter to the requester quotes it. */
  citation: TextSchema,
});

/**
 * Public records requests (KA-14, BZ-13, MN-10). Optional in the schema so a city's own pack can
 * be written without it, but every bundled pack ships one; commands refuse to run without it.
 */
const RecordsSchema = z.strictObject({
  /** Who receives requests staff forward (the City Clerk or its equivalent); must hold records.request.manage city-wide. */
  custodianRole: RoleIdSchema,
  clock: z.strictObject({
    days: z.int().min(1).max(365),
    /** True: weekends are skipped when counting (legal holidays are not modeled yet). */
    business: z.boolean(),
    /** The law that sets the time to answer, as it is quoted on letters. */
    statute: TextSchema,
    /** Whether `days` is a statutory deadline or the city's own working target, and why. */
    note: TextSchema,
  }),
  exemptions: z.array(ExemptionSchema).min(1),
  sources: SourcesSchema,
});

const TemplateSchema = z.strictObject({
  blanks: z
    .array(z.strictObject({ key: BlankKeySchema, description: TextSchema, example: TextSchema }))
    .min(1),
});

export const PolicyPackBaseSchema = z.strictObject({
  schemaVersion: z.literal(1),
  id: KebabIdSchema,
  version: TextSchema,
  title: TextSchema,
  source: SourceDocumentSchema,
  city: CitySchema,
  roles: z.array(RoleSchema).min(1),
  approvalChains: ApprovalChainsSchema,
  acceptableUse: AcceptableUseSchema,
  moderation: ModerationSchema,
  security: SecuritySchema,
  training: z.array(TrainingSchema),
  retention: z.array(RetentionSchema).min(1),
  archiving: ArchivingSchema.optional(),
  review: ReviewSchema,
  disclosures: z.array(DisclosureSchema),
  platforms: z.array(PlatformSchema),
  content: ContentSchema,
  records: RecordsSchema.optional(),
  template: TemplateSchema.optional(),
});

export type PolicyPack = z.infer<typeof PolicyPackBaseSchema>;
export type PackRole = PolicyPack['roles'][number];
export type ApprovalChain = PolicyPack['approvalChains'][ChainKey];
export type AupClause = PolicyPack['acceptableUse']['clauses'][number];
export type RecordsRules = NonNullable<PolicyPack['records']>;
export type RecordsExemption = RecordsRules['exemptions'][number];

/** The schema every pack must pass: field shapes, then the references between fields. */
export const PolicyPackSchema = PolicyPackBaseSchema.superRefine(checkPackReferences);
