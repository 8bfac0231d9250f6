import { z } from 'zod';
import { projectIdSchema } from './project';

/**
 * The preview's package service: a bare import the preview's built-in cache lacks is
 * resolved on the backend (version from the project's package.json, tarball from the npm
 * registry, integrity checked, bundled to CommonJS) and stored content-addressed.
 */

/** An npm package name (lower case, optional scope), as npm validates new names. */
export const npmPackageNameSchema = z
  .string()
  .max(214)
  .regex(/^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/, 'is not an npm package name (lower case, optionally @scope/name)');

/** What the preview imports: a package name, optionally with a subpath (`date-fns/format`). */
export const packageSpecifierSchema = z
  .string()
  .min(1)
  .max(400)
  .regex(
    /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*(\/[A-Za-z0-9_.~@+-]+)*$/,
    'must be a bare import like "canvas-confetti", "@scope/name" or "date-fns/format"',
  )
  .refine((s) => !s.split('/').some((p) => p === '..' || p === '.'), 'must not contain "." or ".." segments');

/** A version range as package.json holds it: a semver range or a dist-tag. */
export const versionRangeSchema = z
  .string()
  .trim()
  .min(1)
  .max(256)
  .regex(/^[\w.*^~<>=|@ +-]+$/, 'must be a semver range (^1.2.0, ~1, 1.x, >=2 <3) or a dist-tag (latest, next)');

export const packageResolveQuerySchema = z.object({
  specifier: packageSpecifierSchema,
  range: versionRangeSchema.default('latest'),
});
export type PackageResolveQuery = z.infer<typeof packageResolveQuerySchema>;

/** A bundle the preview loads, and the packages it expects next to it (peers: one shared copy). */
export const packageBuildSchema = z.object({
  specifier: z.string(),
  name: z.string(),
  version: z.string(),
  /** `script`: CommonJS to evaluate; `style`: CSS to inject. */
  kind: z.enum(['script', 'style']),
  file: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().min(0) }),
  requires: z.array(z.object({ specifier: z.string(), range: z.string() })),
});
export type PackageBuild = z.infer<typeof packageBuildSchema>;

export const packageResolveResponseSchema = packageBuildSchema.extend({
  /** Absolute URL path of the bundle (`/api/packages/files/<sha256>`), immutable. */
  url: z.string(),
});
export type PackageResolveResponse = z.infer<typeof packageResolveResponseSchema>;

export const packageCapabilityRequestSchema = z.object({ projectId: projectIdSchema });
export type PackageCapabilityRequest = z.infer<typeof packageCapabilityRequestSchema>;

export const packageCapabilityResponseSchema = z.object({
  token: z.string(),
  /** ms since the epoch; the preview asks for a new one before or when it expires. */
  expiresAt: z.number().int(),
});
export type PackageCapabilityResponse = z.infer<typeof packageCapabilityResponseSchema>;
