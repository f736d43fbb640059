/**
 * The spec types of every kind, generated from schemas/ (see ./generated/, `npm run gen:types`),
 * and the typed resources built on the envelope of ./resource.ts. Import spec types from here,
 * never from ./generated/ directly.
 */
import type { Resource } from './resource.js';
import type { BulletinSpec, CampaignSpec, ExternalTriggerSpec, MessageSpec, ScheduleSpec } from './generated/schemas.js';

export type { CampaignDocument, CampaignSpec, ControlGroup, ConversionGoal, CampaignGuard, PushTtl } from './generated/schemas.js';
export type { MessageDocument, MessageSpec } from './generated/schemas.js';
export type { ExternalTriggerDocument, ExternalTriggerSpec } from './generated/schemas.js';
export type { BulletinDocument, BulletinSpec, BulletinOccurrence } from './generated/schemas.js';
export type {
  ScheduleDocument,
  ScheduleSpec,
  ScheduledCampaignSpec,
  ScheduledMessageSend,
  ScheduledTriggerSend,
  CatchUpPolicy,
} from './generated/schemas.js';
export type {
  ProjectConfig,
  EnvironmentConfig,
  CredentialsConfig,
  LimitsConfig,
  QuietHoursConfig,
  SandboxSettings,
} from './generated/schemas.js';
export type {
  ResourceName,
  Metadata,
  Where,
  CqlDate,
  CqlDaysAgo,
  CqlOperator,
  CqlValue,
  PropertyFilter,
  SessionProperty,
  EventQuery,
  DidAny,
  AdvancedQuery,
  CommonProfileProperties,
  TargetMode,
  TemplateText,
  PushContent,
  WebpushContent,
  EmailContent,
  SmsContent,
  PushPlatformSpecific,
  AndroidPushOptions,
  IosPushOptions,
  WebpushPlatformSpecific,
  Wire,
  CleverTapCampaignId,
  IdentityList,
  IdentityTo,
  TriggerTo,
  Duration,
  Instant,
  DataSchema,
  DataProperty,
  PayloadSchema,
  PayloadProperty,
  StringPropertiesSchema,
  StringProperty,
} from './generated/schemas.js';

/** Content of any channel; narrow it with the spec's `target_mode`. */
export type Content = CampaignSpec['content'];

export type CampaignResource = Resource<CampaignSpec>;
export type MessageResource = Resource<MessageSpec>;
export type ExternalTriggerResource = Resource<ExternalTriggerSpec>;
export type BulletinResource = Resource<BulletinSpec>;
export type ScheduleResource = Resource<ScheduleSpec>;

/** Spec type per kind, for code that switches on `resource.kind`. */
export interface SpecByKind {
  Campaign: CampaignSpec;
  Message: MessageSpec;
  ExternalTrigger: ExternalTriggerSpec;
  Bulletin: BulletinSpec;
  Schedule: ScheduleSpec;
}

/** A resource whose spec type follows its kind: `if (r.kind === 'Campaign') r.spec.where`. */
export type AnyResource = {
  [K in keyof SpecByKind]: Resource<SpecByKind[K]> & { kind: K };
}[keyof SpecByKind];
