// What a row of the Beeper tree is.
import type { BeeperApiError } from '../api/errors';
import type { Account, Chat } from '../api/types';
import type { BridgeGroup } from '../model/model';

import type { ChatListKind } from '../model/model';

/** Which of an account's chat lists a node pages through. */
export type ChatList = ChatListKind;

export type BridgeNode = { kind: 'bridge'; group: BridgeGroup };
export type AccountNode = { kind: 'account'; account: Account; bridgeID: string };
/** "Low priority" and "Archived" under an account, when archived chats are not mixed in. */
export type FolderNode = { kind: 'folder'; list: 'low-priority' | 'archive'; parent: AccountNode };
export type ChatNode = { kind: 'chat'; chat: Chat; parent?: AccountNode | FolderNode };
export type LoadMoreNode = { kind: 'loadMore'; key: string; parent: AccountNode | FolderNode; loading: boolean };
/** "Show newer chats…" above a list whose window of rows has moved down (see rowWindow.ts). */
export type NewerNode = { kind: 'newer'; key: string; parent: AccountNode | FolderNode };
export type MessageNode = { kind: 'message'; text: string; error?: BeeperApiError; parent?: TreeNode };

export type TreeNode = BridgeNode | AccountNode | FolderNode | ChatNode | LoadMoreNode | NewerNode | MessageNode;
