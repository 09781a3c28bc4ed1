/** Errors a user can fix (bad config, bad input, no Redis): reported in one line, without a stack. */
export class UserError extends Error {
  override readonly name: string = 'UserError';
}

export class UsageError extends UserError {
  override readonly name = 'UsageError';
}

export class InputError extends UserError {
  override readonly name = 'InputError';
}
