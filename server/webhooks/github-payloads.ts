/**
 * The parts of GitHub's webhook payloads berth reads, as zod schemas: a signed payload without them
 * is answered 400 naming the missing field, instead of failing somewhere later. Other fields are ignored.
 */
import { z } from 'zod';

const repository = z.object({ full_name: z.string() });
const login = z.object({ login: z.string() }).nullish();

export const deploymentStatusPayload = z.object({
  deployment_status: z.object({
    id: z.number(),
    state: z.string(),
    description: z.string().nullish(),
    environment: z.string().nullish(),
    log_url: z.string().nullish(),
    target_url: z.string().nullish(),
    environment_url: z.string().nullish(),
    created_at: z.string(),
    creator: login,
  }),
  deployment: z.object({
    id: z.number(),
    sha: z.string(),
    ref: z.string(),
    environment: z.string(),
    creator: login,
  }),
  repository,
});

export const workflowRunPayload = z.object({
  action: z.string(),
  workflow_run: z.object({
    id: z.number(),
    name: z.string().nullish(),
    run_number: z.number(),
    run_attempt: z.number().nullish(),
    conclusion: z.string().nullish(),
    head_branch: z.string().nullish(),
    head_sha: z.string(),
    html_url: z.string(),
    event: z.string(),
    updated_at: z.string().nullish(),
    actor: login,
  }),
  workflow: z.object({ name: z.string().nullish() }).nullish(),
  repository,
});

export type DeploymentStatusPayload = z.infer<typeof deploymentStatusPayload>;
export type WorkflowRunPayload = z.infer<typeof workflowRunPayload>;
