/** What needs a person, by kind: the digest groups by these, in this order; apart, so that `status` names them without loading the queue. */
export const EXCEPTION_KINDS = [
  'failing',
  'parked',
  'silent',
  'money_in_transit',
  'mapping_gap',
  'connection',
  'token_expiring',
  'open_item',
] as const;
