/** class-transformer `@Transform` functions shared by the DTOs; anything that is not a string passes unchanged for the validators to judge. */
type Input = { value: unknown };

/** Ids and codes compare case-insensitively: stored and compared in lower case. */
export const lowerCase = ({ value }: Input) => (typeof value === 'string' ? value.toLowerCase() : value);

/** E-mail addresses and slugs typed by people: surrounding spaces dropped as well. */
export const trimmedLowerCase = ({ value }: Input) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

/** Free text: surrounding spaces dropped. */
export const trimmed = ({ value }: Input) => (typeof value === 'string' ? value.trim() : value);

/** A query-string flag: `true` and `false` as booleans, anything else left for @IsBoolean to refuse. */
export const queryBoolean = ({ value }: Input) => (value === 'true' ? true : value === 'false' ? false : value);
