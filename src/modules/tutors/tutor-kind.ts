/** Library staff, volunteers, and partners' advisors. */
export const TUTOR_KINDS = ['staff', 'volunteer', 'advisor'] as const;
export type TutorKind = (typeof TUTOR_KINDS)[number];
