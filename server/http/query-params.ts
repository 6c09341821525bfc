/** Query parameters the API shares. A bad value is a 400 naming the parameter and the expected form. */
import { HTTPException } from 'hono/http-exception';

/** `?limit=`: a whole number from 1 to 1000; `fallback` when absent. */
export function limitParam(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw new HTTPException(400, {
      res: Response.json({ error: `limit: expected a whole number from 1 to 1000, got '${value}'` }, { status: 400 }),
    });
  return n;
}
