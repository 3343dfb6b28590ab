export { MAX_EXPANSION_DAYS, bookingWindow, computeSlots } from './slot-engine';
export type {
  AvailabilityWindow,
  BookingPolicy,
  Instant,
  InstantRange,
  Slot,
  SlotKind,
  SlotQuery,
  SlotSource,
  TutorInstantRange,
  WeeklyAvailabilityRule,
} from './types';
export { containedIn } from './intervals';
export { gridOfMinutes, gridOfTimes, gridSessionAt, inRuleWindow, sessionOnGrid } from './session-grid';
export type { GridRule, GridSpec } from './session-grid';
