// The sortable tables of the desk's panels: a header button per column (`th[data-sort]`
// with `aria-sort`), a click turns the order round or sorts by a new column (text A→Z,
// numbers largest first), empty values always last. Columns: {key, label(), text?}.
import { esc } from '../util.js';

/** The `<th>`s; `extra(column)` may add `{attrs, icon}` (attributes, markup before the label). */
export function sortHeads(columns, sort, extra = () => ({})) {
  return columns.map((c) => {
    const on = sort && sort.key === c.key;
    const aria = on ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none';
    const { attrs = '', icon = '' } = extra(c);
    return `<th scope="col" class="${c.text ? '' : 'num'}" data-sort="${c.key}" aria-sort="${aria}"${attrs}>`
      + `<button type="button">${icon}${esc(c.label())}<i class="gl-sort" aria-hidden="true"></i></button></th>`;
  }).join('');
}

/** The order after a click on column `key`'s header. */
export function nextSort(sort, columns, key) {
  if (sort && sort.key === key) return { key, dir: sort.dir === 'asc' ? 'desc' : 'asc' };
  return { key, dir: columns.find((c) => c.key === key).text ? 'asc' : 'desc' };
}

/** A copy of `rows` in the order `sort` ({key, dir}) says; `value(row, key)` reads a cell. */
export function sortRows(rows, sort, value = (row, key) => row[key]) {
  const sign = sort.dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = value(a, sort.key);
    const y = value(b, sort.key);
    if (x === null || x === undefined) return y === null || y === undefined ? 0 : 1;
    if (y === null || y === undefined) return -1;
    return sign * (typeof x === 'string' ? x.localeCompare(y, 'zh-CN') : x - y);
  });
}
