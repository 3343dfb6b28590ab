import { ValidateIf, ValidationOptions } from 'class-validator';

/**
 * Like @IsOptional(), but only for a field left out: `null` is still validated (and refused by
 * the type check), for fields whose column has no "unknown" value.
 */
export const IsOmittable = (options?: ValidationOptions) => ValidateIf((_object, value) => value !== undefined, options);
