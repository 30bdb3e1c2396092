/**
 * Expected failures, each with a message for a person: what happened and
 * what to do. The CLI prints `message` on one line and exits non-zero; a
 * stack trace is shown only with --debug. Anything else is a bug.
 */
export class UserError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = 'UserError';
  }
}

/** The database cannot be opened or used (bad path, locked, corrupt). */
export class DatabaseError extends UserError {
  constructor(message: string) {
    super(message, 3);
    this.name = 'DatabaseError';
  }
}

/** The disk holding the database is full; `what` says so, with the room left where the system tells it. */
export class DiskFullError extends DatabaseError {
  constructor(
    readonly what: string,
    file: string,
  ) {
    super(`database ${file}: ${what}: free some space and run it again (records a sync could not store stay on the pod)`);
    this.name = 'DiskFullError';
  }
}

/** The pod answered with an error frame, or not at all. */
export class PodError extends UserError {
  constructor(message: string, readonly code?: number) {
    super(message, 4);
    this.name = 'PodError';
  }
}

/** The link to the pod failed: not found, busy, refused by the system, or lost mid-way (README: 5 the link). */
export const LINK_EXIT_CODE = 5;

export class LinkError extends UserError {
  constructor(message: string) {
    super(message, LINK_EXIT_CODE);
    this.name = 'LinkError';
  }
}

/** The link went while a command used it; `why` is the link's own word for it (out of range, unplugged, the sim stopped). */
export class LostPodError extends LinkError {
  constructor(
    readonly why: string,
    then: string,
  ) {
    super(`lost the pod mid-way (${why}): ${then}`);
    this.name = 'LostPodError';
  }
}

/** A command stopped by Ctrl-C exits as a shell reports one killed by SIGINT (128 + 2). */
export const INTERRUPTED_EXIT_CODE = 130;

/** The exit code of bad input: a bad value, and commander's usage errors (README: 2 bad input). */
export const BAD_INPUT_EXIT_CODE = 2;

/** A bad value given on the command line or in a file. */
export class InputError extends UserError {
  constructor(message: string) {
    super(message, BAD_INPUT_EXIT_CODE);
    this.name = 'InputError';
  }
}

/**
 * An option that names one thing (--db, --port, --state, a period flag) given more than once, wherever each was
 * typed: one line, the values in the order given ("--db was given twice (a.db, then b.db): give it once").
 */
export function givenTwice(flag: string, values: string[]): InputError {
  return new InputError(`${flag} was given twice (${values.join(', then ')}): give it once`);
}
