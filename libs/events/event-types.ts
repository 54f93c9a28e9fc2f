import type { EventType } from './event-schemas.js';

export type { EventType };

export interface UserSignupMetadata {
  source?: string;
  email?: string;
  company?: string;
  country?: string;
}

export interface SubscriptionChangeMetadata {
  plan?: string;
  amount?: number;
  billing_cycle?: 'monthly' | 'annual';
  currency?: string;
}

export interface SubscriptionCancelledMetadata {
  plan?: string;
  reason?: string;
}

export interface UsageTrackedMetadata {
  feature?: string;
  quantity?: number;
  duration_ms?: number;
}

// Metadata by event type; extra metadata fields are allowed, so each also carries an index signature.
export interface MetadataByType {
  user_signup: UserSignupMetadata;
  subscription_created: SubscriptionChangeMetadata;
  subscription_updated: SubscriptionChangeMetadata;
  subscription_cancelled: SubscriptionCancelledMetadata;
  usage_tracked: UsageTrackedMetadata;
}

interface EventOf<T extends EventType> {
  event_id: string;
  event_type: T;
  timestamp: string;
  user_id?: string;
  metadata?: MetadataByType[T] & Record<string, unknown>;
  received_at?: string;
}

export type Day15Event = { [T in EventType]: EventOf<T> }[EventType];

export interface ValidationIssue {
  /** JSON Pointer to the offending value, e.g. `/metadata/amount`; `` for the event itself. */
  path: string;
  message: string;
}
