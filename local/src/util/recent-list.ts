/**
 * The last `capacity` items of an endless stream (delivery reports, say), with the count of all
 * items ever added: memory stays bounded however long the local cloud runs.
 */
export class RecentList<T> {
  private readonly list: T[] = [];
  private added = 0;

  /** @param capacity how many items are kept (the oldest go first) */
  constructor(public readonly capacity: number) {
    if (!(Number.isInteger(capacity) && capacity >= 1)) throw new Error(`capacity must be an integer of at least 1, got ${capacity}`);
  }

  public push(item: T): void {
    this.list.push(item);
    this.added++;
    if (this.list.length > this.capacity) this.list.shift();
  }

  /** The kept items, oldest first. */
  public get items(): T[] {
    return this.list;
  }

  /** How many items were ever added (kept or not). */
  public get total(): number {
    return this.added;
  }

  /** How many of the items ever added are no longer kept. */
  public get dropped(): number {
    return this.added - this.list.length;
  }
}
