/** The JSON API's routes: parameters checked, then answered by the recording's model. */
import { activationOf } from '../query/stack.js';
import { flameOf, lodOf } from './lod.js';
import type { UiModel } from './model.js';
import { UiError } from './model.js';

function int(p: URLSearchParams, name: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const v = p.get(name);
  if (v === null) throw new UiError(`missing ${name}`);
  const n = Number(v);
  if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(n) || n < min || n > max) throw new UiError(`${name} must be a whole number from ${min} to ${max}`);
  return n;
}

function num(p: URLSearchParams, name: string): number {
  const v = p.get(name);
  const n = Number(v);
  if (v === null || v.trim() === '' || !Number.isFinite(n)) throw new UiError(`${name} must be a number`);
  return n;
}

function str(p: URLSearchParams, name: string, max = 1000): string {
  const v = p.get(name);
  if (v === null) throw new UiError(`missing ${name}`);
  if (v.length > max) throw new UiError(`${name} is too long`);
  return v;
}

function range(p: URLSearchParams): [from: number, to: number, px: number] {
  const from = num(p, 'from');
  const to = num(p, 'to');
  if (!(to > from)) throw new UiError('to must be after from');
  return [from, to, int(p, 'px', 1, 8192)];
}

export function api(model: UiModel, route: string, p: URLSearchParams): unknown {
  switch (route) {
    case 'session':
      return model.session();
    case 'lod':
      return lodOf(model, ...range(p));
    case 'flame':
      return flameOf(model, int(p, 'lane'), ...range(p), p.get('axis') === 'events' ? 'events' : 'time', 20_000);
    case 'event':
      return model.moment(int(p, 'id'));
    case 'step': {
      const how = str(p, 'how');
      if (how !== 'into' && how !== 'over' && how !== 'out') throw new UiError('how must be into, over or out');
      return model.step(int(p, 'id'), how, p.get('back') === '1');
    }
    case 'at': {
      const id = p.has('pos') ? model.rowAtPosition(int(p, 'lane'), num(p, 'pos')) : model.at(int(p, 'lane'), num(p, 't'));
      if (p.get('brief') !== '1' || id < 0) return { id };
      const a = activationOf(model.index, id);
      return { id, event: model.eventInfo(id, false), call: a >= 0 ? model.index.callOf(a) : -1 };
    }
    case 'source':
      return p.has('id') ? model.source(int(p, 'id'), null, null) : model.source(null, int(p, 'pid'), str(p, 'file', 4096));
    case 'state':
      return model.state(str(p, 'obj', 64), int(p, 'at'), p.has('prev') ? int(p, 'prev') : null);
    case 'lastwrite':
      return model.lastWrite(str(p, 'obj', 64), str(p, 'key'), int(p, 'at'));
    case 'search': {
      const q = str(p, 'q', 200);
      if (q.trim() === '') throw new UiError('empty search');
      return model.search(q);
    }
    case 'errors':
      return model.errors();
    case 'causes':
      return model.causes(int(p, 'id'));
    case 'marks':
      return model.marks();
    default:
      throw new UiError(`no API /api/${route}`, 404);
  }
}
