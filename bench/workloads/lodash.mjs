// A lodash-heavy pipeline over generated records: chains of filter/map/groupBy/sortBy/reduce,
// cloneDeep, uniqBy, keyBy, merge.
import _ from 'lodash';
import { rng, runWorkload } from './harness.mjs';

const rand = rng(7);
const cities = ['Lisbon', 'Oslo', 'Lima', 'Pune', 'Kyiv', 'Quito', 'Accra', 'Hanoi'];
const tags = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
const people = Array.from({ length: 10_000 }, (_x, i) => ({
  id: i,
  name: `user${Math.floor(rand() * 5000)}`,
  age: 18 + Math.floor(rand() * 60),
  city: cities[Math.floor(rand() * cities.length)],
  score: Math.round(rand() * 1000) / 10,
  tags: tags.filter(() => rand() < 0.3),
  address: { street: `${Math.floor(rand() * 200)} Main St`, zip: String(10000 + Math.floor(rand() * 89999)) },
}));

runWorkload('lodash', () => {
  const byCity = _.chain(people)
    .filter((p) => p.age >= 21)
    .map((p) => ({ ...p, bucket: Math.floor(p.age / 10) * 10 }))
    .groupBy('city')
    .mapValues((list) => ({
      n: list.length,
      avg: _.meanBy(list, 'score'),
      top: _.take(_.orderBy(list, ['score', 'id'], ['desc', 'asc']), 5).map((p) => p.id),
      buckets: _.countBy(list, 'bucket'),
    }))
    .value();
  const cloned = _.cloneDeep(people.slice(0, 2000));
  const uniq = _.uniqBy(people, 'name').length;
  const byTag = _.reduce(people, (acc, p) => {
    _.forEach(p.tags, (t) => { acc[t] = (acc[t] || 0) + p.score; });
    return acc;
  }, {});
  const keyed = _.keyBy(cloned, (p) => `${p.city}:${p.id}`);
  const merged = _.merge({}, _.pick(keyed, _.take(_.keys(keyed), 500)), { extra: { ok: true } });
  const sorted = _.sortBy(people, ['city', 'age', 'id']).slice(0, 100).map((p) => p.id);
  return _.sum(sorted) + uniq + _.size(merged) + Math.round(_.sum(_.values(byTag))) + _.sumBy(_.values(byCity), 'n');
});
