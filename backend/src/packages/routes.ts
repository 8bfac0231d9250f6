import { Router, type RequestHandler } from 'express';
import { packageCapabilityRequestSchema, packageResolveQuerySchema, type PackageCapabilityResponse, type PackageResolveResponse } from '@patchpad/shared';
import { AppError, validationError } from '../http/errors';
import type { CapabilitySigner } from './capability';
import type { PackageService } from './service';

/**
 * /api/packages: called by the preview runtime from its own origin (any project's), so
 * CORS is open and no cookie or ID token is involved: resolution needs the capability the
 * IDE minted (`POST /capability`, the only route that needs a signed-in user); files are
 * public and immutable.
 */

export interface PackageRoutesDeps {
  service: PackageService;
  capabilities: CapabilitySigner;
  /** The IDE's CORS, then sign-in, for minting capabilities. */
  ideCors: RequestHandler;
  requireUser: RequestHandler[];
  readFile(sha256: string): Promise<Buffer | null>;
}

const openCors: RequestHandler = (req, res, next) => {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', 'X-Request-Id, Retry-After');
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
  if (req.method === 'OPTIONS') {
    res.setHeader('Access-Control-Allow-Methods', 'GET');
    res.setHeader('Access-Control-Allow-Headers', 'Authorization');
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
    return;
  }
  next();
};

const bearer = (header: string | undefined) => /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];

export function packageRoutes(deps: PackageRoutesDeps): Router {
  const router = Router();

  router.use('/capability', deps.ideCors);
  router.post('/capability', ...deps.requireUser, async (req, res) => {
    const parsed = packageCapabilityRequestSchema.safeParse(req.body);
    if (!parsed.success) throw validationError(parsed.error, 'capability request');
    const body: PackageCapabilityResponse = deps.capabilities.mint(req.user!.uid, parsed.data.projectId);
    res.setHeader('Cache-Control', 'no-store');
    res.json(body);
  });

  router.use(['/resolve', '/files'], openCors);

  router.get('/resolve', async (req, res) => {
    const capability = deps.capabilities.verify(bearer(req.headers.authorization));
    const parsed = packageResolveQuerySchema.safeParse(req.query);
    if (!parsed.success) throw validationError(parsed.error, 'package query');
    req.log?.info({ specifier: parsed.data.specifier, range: parsed.data.range, projectId: capability.projectId }, 'preview package');
    const build = await deps.service.resolve(parsed.data, capability.uid);
    const body: PackageResolveResponse = { ...build, url: `/api/packages/files/${build.file.sha256}` };
    res.setHeader('Cache-Control', 'no-store');
    res.json(body);
  });

  router.get('/files/:sha256', async (req, res) => {
    const sha = req.params.sha256;
    if (!/^[0-9a-f]{64}$/.test(sha)) throw AppError.badRequest('sha256: must be 64 lower-case hex digits');
    const data = await deps.readFile(sha);
    if (!data) throw AppError.notFound(`Package file ${sha}`);
    res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.setHeader('ETag', `"${sha}"`);
    res.send(data);
  });

  return router;
}
