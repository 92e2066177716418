/**
 * How many attempts Lambda can make at most for a failing event, by the attempt loop of
 * AWS-SEMANTICS.md: after failed attempt n (n - 1 retries so far) Lambda retries only if
 * `ceil(age) + n * 60 <= maxEventAge`, and the retry runs `n * 60` seconds later.
 *
 * The earliest an attempt can fail is just after the event was queued, so `ceil(age)` is at
 * least 1 at the first failure, 61 at the second, 181 at the third: a second attempt needs
 * maxEventAge >= 61 s, a third >= 181 s.
 */
export function effectiveAttempts(retryAttempts: number, maxEventAgeSeconds: number): number {
  let attempts = 1;
  let earliestAge = 1;
  while (attempts <= retryAttempts && earliestAge + attempts * 60 <= maxEventAgeSeconds) {
    earliestAge += attempts * 60;
    attempts += 1;
  }
  return attempts;
}

/** The smallest maxEventAge (seconds) that leaves room for `retryAttempts` retries. */
export function maxEventAgeForRetries(retryAttempts: number): number {
  return 1 + 60 * retryAttempts * (retryAttempts + 1) / 2;
}
