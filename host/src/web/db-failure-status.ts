/**
 * The status `retrostep web` answers a request its database failed (locked by another program, its disk full,
 * damaged), the CLI's line for it as the error: the page tells it from the pod's link failing by this.
 * 503, not 500: the server works, and the same request succeeds once the database is put right.
 */
export const DB_FAILURE_STATUS = 503;
