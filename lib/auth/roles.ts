import * as z from '#lib/validation';

/**
 * The roles the council's identity provider puts in a token's `roles` claim
 * (Entra ID app roles). Each route names the roles that may call it.
 */
export const Role = z.enum([
  'residential-manager',
  'placements-officer',
  'finance',
  'team-manager',
  'service-manager',
  'head-of-service',
  'social-worker',
]);
export type Role = z.infer<typeof Role>;

export const ALL_ROLES: readonly Role[] = Role.options;
