/**
 * SQS's rules for what it stores. The queues and their messages themselves are the backend's
 * (fauxqs); the local cloud checks a queue name against these rules before the name reaches it.
 */

/** AWS's message for a queue name that breaks its rules. */
export const QUEUE_NAME_RULES = 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length';

/** SQS's queue name rule: letters, digits, `-`, `_`, 1 to 80 characters, `.fifo` at the end of a FIFO queue's name. */
export function validQueueName(name: string): boolean {
  return /^[a-zA-Z0-9_-]{1,80}$/.test(name.endsWith('.fifo') ? name.slice(0, -5) : name) && name.length <= 80;
}
