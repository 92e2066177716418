import { RecentList } from '../../src/util/recent-list';

test('keeps the last items and counts all of them', () => {
  const list = new RecentList<number>(3);
  for (let i = 1; i <= 5; i++) list.push(i);
  expect(list.items).toEqual([3, 4, 5]);
  expect(list.total).toBe(5);
  expect(list.dropped).toBe(2);
});

test.each([0, -1, 1.5, NaN])('rejects capacity %p', (capacity) => {
  expect(() => new RecentList(capacity)).toThrow(/capacity must be an integer of at least 1/);
});
