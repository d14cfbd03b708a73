// What a webview page sends is not trusted: a page runs other people's content (sanitized, but
// still). One validator per message type checks every field before anything reads it, and the
// message that comes out holds only the fields its type declares. Anything else is dropped.
// Pure: no vscode import; unit-tested.
import type { BridgePageRequest, ChatPageRequest, LoginPageRequest } from './protocol';
import { MAX_MESSAGE_CHARS } from '../text/format';

type Field = (value: unknown) => boolean;

export const isString =
  (max: number, min = 0): Field =>
  (v) =>
    typeof v === 'string' && v.length >= min && v.length <= max;
const isInt: Field = (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isBool: Field = (v) => typeof v === 'boolean';
const optional =
  (field: Field): Field =>
  (v) =>
    v === undefined || field(v);

/** A message ID, chat ID or flow ID: short, non-empty. */
const ID = isString(500, 1);
const TEXT = isString(MAX_MESSAGE_CHARS * 2);

/** A validator: the checked message (declared fields only), or undefined. */
export type Validator<M> = (raw: Record<string, unknown>) => M | undefined;
export type Validators<R extends { type: string }> = { [K in R['type']]: Validator<Extract<R, { type: K }>> };

function shape<M extends { type: string }>(type: M['type'], fields: Record<string, Field> = {}): Validator<M> {
  return (raw) => {
    const out: Record<string, unknown> = { type };
    for (const [name, check] of Object.entries(fields)) {
      if (!check(raw[name])) return undefined;
      if (raw[name] !== undefined) out[name] = raw[name];
    }
    return out as M;
  };
}

/** A page's message checked by its type's validator; undefined when it is not one of them. */
export function validateMessage<R extends { type: string }>(raw: unknown, validators: Validators<R>): R | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const type = (raw as { type?: unknown }).type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(validators, type)) return undefined;
  const validator = (validators as Record<string, Validator<R>>)[type]!;
  return validator(raw as Record<string, unknown>);
}

export const chatRequestValidators: Validators<ChatPageRequest> = {
  ready: shape('ready', { anchorID: optional(ID) }),
  copy: shape('copy', { value: isString(2000, 1) }),
  openInBeeper: shape('openInBeeper', { messageID: optional(ID) }),
  refresh: shape('refresh'),
  showMoreParticipants: shape('showMoreParticipants'),
  loadOlder: shape('loadOlder'),
  loadNewer: shape('loadNewer'),
  jumpToNewest: shape('jumpToNewest'),
  reveal: shape('reveal', { id: ID }),
  send: shape('send', { requestID: isInt, text: TEXT, replyTo: optional(ID) }),
  sendLong: shape('sendLong', { requestID: isInt, text: TEXT, how: (v) => v === 'split' || v === 'file' }),
  retry: shape('retry', { id: ID }),
  react: shape('react', { id: ID, key: isString(64, 1) }),
  pickReaction: shape('pickReaction', { id: ID }),
  edit: shape('edit', { requestID: isInt, id: ID, text: TEXT }),
  delete: shape('delete', { id: ID }),
  copyText: shape('copyText', { id: ID }),
  openLink: shape('openLink', { url: isString(8000, 1) }),
  openCode: shape('openCode', { id: ID, n: (v) => isInt(v) && (v as number) < 50 }),
  saveAttachment: shape('saveAttachment', { id: ID, index: isInt }),
  draft: shape('draft', { text: TEXT }),
  viewport: shape('viewport', { atBottom: isBool }),
  applied: shape('applied', { seq: isInt }),
};

export const loginRequestValidators: Validators<LoginPageRequest> = {
  ready: shape('ready'),
  cancel: shape('cancel'),
};

export const bridgeRequestValidators: Validators<BridgePageRequest> = {
  ready: shape('ready'),
  addAccount: shape('addAccount', { flowID: ID }),
};
