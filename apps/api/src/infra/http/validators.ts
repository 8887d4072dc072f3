import { Matches, ValidateIf } from 'class-validator';

/**
 * For PATCH bodies: the field may be left out, but `null` is validated like
 * any other value (and so refused by IsString/IsIn/...). class-validator's
 * IsOptional would let null through to the service.
 */
export const IsOmittable = () => ValidateIf((_: object, value: unknown) => value !== undefined);

/** At least one non-space character: "   " is not a name. */
export const IsNotBlank = () => Matches(/\S/, { message: '$property must not be blank' });
