// What a row of the Beeper tree is.
import type { BeeperApiError } from '../api/errors';
import type { Account, Chat } from '../api/types';
import type { BridgeGroup } from './model';

export type TreeNode =
  | { kind: 'bridge'; group: BridgeGroup }
  | { kind: 'account'; account: Account; bridgeID: string }
  | { kind: 'chat'; chat: Chat }
  | { kind: 'loadMore'; accountID: string; loading: boolean }
  | { kind: 'message'; text: string; error?: BeeperApiError; parent?: TreeNode };
