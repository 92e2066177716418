/** Which records a destination receives: `Success` or `Failure` (used in construct ids and event detail-types). */
export type Outcome = 'Success' | 'Failure';
