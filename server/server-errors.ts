/** The server's two refusals, each with one HTTP status and one meaning for the scheduler. */
import { BerthError } from '../core/errors.js';

/** No backup, check (or other named thing) by that name: 404. */
export class NotFoundError extends BerthError {
  override readonly name = 'NotFoundError';
}

/** It is running already, or the server is stopping: 409; a scheduled tick then is a logged skip. */
export class BusyError extends BerthError {
  override readonly name = 'BusyError';
}
