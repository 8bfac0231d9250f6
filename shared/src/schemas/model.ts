import { z } from 'zod';
import { planSchema } from './plan';

/**
 * The model registry: what an admin configures per model. Provider keys are never stored,
 * only the name of the environment variable that holds them (a comma list there is a pool).
 */
export const modelIdSchema = z
  .string()
  .min(1, 'an id must not be empty')
  .max(100, 'an id may be at most 100 characters')
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'an id is lower-case letters, digits, ".", "_" or "-", starting with a letter or digit');

export const providerKindSchema = z.enum(['openai_compatible', 'anthropic']);
export type ProviderKind = z.infer<typeof providerKindSchema>;

const envVarName = z.string().regex(/^[A-Z_][A-Z0-9_]{0,127}$/, 'must be the NAME of an environment variable (A-Z, 0-9, "_"), never the key itself');
const httpUrl = z
  .string()
  .url('must be a URL such as https://api.openai.com/v1')
  .refine((u) => /^https?:\/\//i.test(u), 'must be an http:// or https:// URL');
const price = z.number().min(0, 'must be 0 or more').max(10_000, 'must be at most 10000 (US dollars per million tokens)');

/** Fields an admin sets; `id` is fixed once created. */
const modelFields = {
  name: z.string().trim().min(1, 'must not be empty').max(120),
  provider: providerKindSchema,
  baseUrl: httpUrl,
  /** Name of the variable holding the key (or a comma list of keys); absent: no key (e.g. Ollama). */
  apiKeyEnv: envVarName.optional(),
  upstreamModel: z.string().min(1, 'must not be empty').max(200),
  active: z.boolean(),
  requiredPlan: planSchema,
  contextWindow: z.number().int().min(256, 'must be at least 256 tokens').max(10_000_000),
  maxOutputTokens: z.number().int().min(1).max(1_000_000),
  /** US dollars per million tokens. */
  priceInputPerMTok: price,
  priceOutputPerMTok: price,
  /** Tried in this order when this model's provider fails. */
  fallbacks: z.array(modelIdSchema).max(5, 'at most 5 fallbacks').default([]),
};

function checkEntry(entry: { id?: string; fallbacks?: string[]; maxOutputTokens?: number; contextWindow?: number }, ctx: z.RefinementCtx) {
  if (entry.fallbacks && entry.id && entry.fallbacks.includes(entry.id)) {
    ctx.addIssue({ code: 'custom', path: ['fallbacks'], message: 'a model cannot be its own fallback' });
  }
  if (entry.fallbacks && new Set(entry.fallbacks).size !== entry.fallbacks.length) {
    ctx.addIssue({ code: 'custom', path: ['fallbacks'], message: 'lists the same model twice' });
  }
  if (entry.maxOutputTokens !== undefined && entry.contextWindow !== undefined && entry.maxOutputTokens >= entry.contextWindow) {
    ctx.addIssue({ code: 'custom', path: ['maxOutputTokens'], message: 'must be smaller than contextWindow' });
  }
}

/** Who owns an entry: the environment (updated from it at each start) or an admin. */
export const modelSourceSchema = z.enum(['env', 'admin', 'ollama']);
export type ModelSource = z.infer<typeof modelSourceSchema>;

export const modelEntrySchema = z
  .object({
    id: modelIdSchema,
    ...modelFields,
    source: modelSourceSchema.default('admin'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .superRefine(checkEntry);
export type ModelEntry = z.infer<typeof modelEntrySchema>;

/** POST /api/admin/models */
export const createModelBodySchema = z
  .object({
    id: modelIdSchema,
    ...modelFields,
    active: modelFields.active.default(true),
    requiredPlan: modelFields.requiredPlan.default('free'),
    priceInputPerMTok: price.default(0),
    priceOutputPerMTok: price.default(0),
  })
  .strict()
  .superRefine(checkEntry);
export type CreateModelBody = z.infer<typeof createModelBodySchema>;

/** PATCH /api/admin/models/:id (PUT takes the create body); `apiKeyEnv: null` removes the key. */
export const patchModelBodySchema = z
  .object({
    name: modelFields.name,
    provider: modelFields.provider,
    baseUrl: modelFields.baseUrl,
    apiKeyEnv: envVarName.nullable(),
    upstreamModel: modelFields.upstreamModel,
    active: modelFields.active,
    requiredPlan: modelFields.requiredPlan,
    contextWindow: modelFields.contextWindow,
    maxOutputTokens: modelFields.maxOutputTokens,
    priceInputPerMTok: price,
    priceOutputPerMTok: price,
    fallbacks: z.array(modelIdSchema).max(5, 'at most 5 fallbacks'),
  })
  .partial()
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'send at least one field to change');
export type PatchModelBody = z.infer<typeof patchModelBodySchema>;

/** What a signed-in user sees of a model (GET /api/models). */
export const publicModelSchema = z.object({
  id: modelIdSchema,
  name: z.string(),
  provider: providerKindSchema,
  requiredPlan: planSchema,
  contextWindow: z.number().int(),
  maxOutputTokens: z.number().int(),
});
export type PublicModel = z.infer<typeof publicModelSchema>;
/** GET /api/models: what the signed-in user may pick, and the plan that decides it. */
export const userModelsResponseSchema = z.object({ plan: planSchema, models: z.array(publicModelSchema), defaultModel: z.string().nullable() });
export type UserModelsResponse = z.infer<typeof userModelsResponseSchema>;

/** One entry of the gateway's OpenAI-style GET /v1/models, with the limits the worker budgets by. */
export const gatewayModelSchema = z.object({
  id: z.string(),
  object: z.literal('model').default('model'),
  owned_by: z.string().default(''),
  context_window: z.number().int().positive().optional(),
  max_output_tokens: z.number().int().positive().optional(),
  /** The plan a user needs for it (Patchpad's gateway only). */
  required_plan: planSchema.optional(),
});
export type GatewayModel = z.infer<typeof gatewayModelSchema>;

/** POST /api/admin/models/:id/test */
export const modelTestResultSchema = z.object({
  ok: z.boolean(),
  model: z.string(),
  provider: providerKindSchema,
  latencyMs: z.number(),
  firstByteMs: z.number().nullable(),
  text: z.string().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type ModelTestResult = z.infer<typeof modelTestResultSchema>;

/** A model as the admin routes answer it: the entry, and whether its key variable is set where the API runs. */
export const adminModelSchema = z.intersection(modelEntrySchema, z.object({ keyConfigured: z.boolean() }));
export type AdminModel = z.infer<typeof adminModelSchema>;
