import { newAccessToken, newChannelId, newChannelSecret, newUserId, hex } from "./ids.js";

export type Friendship = "friend" | "blocked" | "none";
export type SendKind = "push" | "multicast" | "narrowcast" | "broadcast" | "reply";

export interface Quota {
  type: "limited" | "none";
  value?: number;
}

export interface Channel {
  channelId: string;
  channelSecret: string;
  channelAccessToken: string;
  botUserId: string;
  basicId: string;
  displayName: string;
  webhookUrl?: string;
  webhookActive: boolean;
  loginChannelId?: string;
  loginChannelSecret?: string;
  quota: Quota;
  totalUsage: number;
}

export interface EmulatedUser {
  userId: string;
  displayName: string;
  pictureUrl?: string;
  language?: string;
  statusMessage?: string;
}

export interface RichMenu {
  richMenuId: string;
  size: { width: number; height: number };
  selected: boolean;
  name: string;
  chatBarText: string;
  areas: Array<{
    bounds: { x: number; y: number; width: number; height: number };
    action: Record<string, unknown>;
  }>;
  image?: { data: Buffer; contentType: string; width: number; height: number };
  createdAt: number;
}

export interface DeliveredMessage {
  seq: number;
  messageId: string;
  userId: string;
  kind: SendKind;
  requestId: string;
  retryKey?: string;
  time: number;
  message: Record<string, unknown>;
}

export interface RequestLogEntry {
  requestId: string;
  time: number;
  method: string;
  path: string;
  operationId?: string;
  status: number;
  retryKey?: string;
  fault?: string;
  error?: string;
  responseErrors?: Array<{ message: string; property: string }>;
}

export interface WebhookDelivery {
  time: number;
  url?: string;
  body: string;
  signature: string;
  status?: number;
  responseBody?: string;
  error?: string;
}

export interface ReplyTokenInfo {
  channelId: string;
  userId: string;
  expiresAt: number;
  used: boolean;
}

export interface LinkTokenInfo {
  channelId: string;
  userId: string;
  expiresAt: number;
  used: boolean;
}

export interface Audience {
  audienceGroupId: number;
  description: string;
  created: number;
  userIds: Set<string>;
  isIfaAudience: boolean;
}

export interface LoginCode {
  code: string;
  clientId: string;
  redirectUri: string;
  userId: string;
  scope: string;
  nonce?: string;
  expiresAt: number;
  used: boolean;
  friendshipStatusChanged: boolean;
}

export interface LoginAccessToken {
  token: string;
  clientId: string;
  userId: string;
  scope: string;
  expiresAt: number;
  refreshToken: string;
}

export interface ChannelState {
  channel: Channel;
  friendships: Map<string, Friendship>;
  userRichMenus: Map<string, string>;
  /** Client-side menu switched via a richmenuswitch tap on the phone page (display only, like LINE). */
  displayOverride: Map<string, string>;
  defaultRichMenuId?: string;
  richMenus: Map<string, RichMenu>;
  aliases: Map<string, string>;
  messages: DeliveredMessage[];
  messagesByUser: Map<string, DeliveredMessage[]>;
  retryKeys: Map<string, { requestId: string; time: number; sentMessages?: unknown }>;
  requests: RequestLogEntry[];
  webhooks: WebhookDelivery[];
  audiences: Map<number, Audience>;
  narrowcasts: Map<
    string,
    {
      acceptedTime: number;
      completedTime: number;
      successCount: number;
      targetCount: number;
    }
  >;
  batches: Map<string, { acceptedTime: number; completedTime: number }>;
}

const REQUEST_LOG_MAX = 2000;
const WEBHOOK_LOG_MAX = 500;

export interface CreateChannelInput {
  channelId?: string;
  channelSecret?: string;
  channelAccessToken?: string;
  botUserId?: string;
  displayName?: string;
  webhookUrl?: string;
  loginChannelId?: string;
  loginChannelSecret?: string;
  quota?: Quota;
  totalUsage?: number;
}

export interface CreateUserInput {
  userId?: string;
  displayName?: string;
  pictureUrl?: string;
  language?: string;
  statusMessage?: string;
  friendOf?: string[];
}

export class EmulatorState {
  channels = new Map<string, ChannelState>();
  tokenIndex = new Map<string, string>(); // access token -> channelId
  loginIndex = new Map<string, string>(); // loginChannelId -> channelId
  users = new Map<string, EmulatedUser>();
  replyTokens = new Map<string, ReplyTokenInfo>();
  linkTokens = new Map<string, LinkTokenInfo>();
  loginCodes = new Map<string, LoginCode>();
  loginTokens = new Map<string, LoginAccessToken>();
  loginRefreshTokens = new Map<string, string>(); // refresh -> access token
  private seq = 0;
  private audienceSeq = 4_000_000_000_000;

  reset(): void {
    this.channels.clear();
    this.tokenIndex.clear();
    this.loginIndex.clear();
    this.users.clear();
    this.replyTokens.clear();
    this.linkTokens.clear();
    this.loginCodes.clear();
    this.loginTokens.clear();
    this.loginRefreshTokens.clear();
  }

  nextSeq(): number {
    return ++this.seq;
  }
  nextAudienceId(): number {
    return ++this.audienceSeq;
  }

  createChannel(input: CreateChannelInput = {}): Channel {
    const channelId = input.channelId ?? newChannelId();
    if (this.channels.has(channelId)) throw new ConflictError(`channel ${channelId} already exists`);
    const channel: Channel = {
      channelId,
      channelSecret: input.channelSecret ?? newChannelSecret(),
      channelAccessToken: input.channelAccessToken ?? newAccessToken(),
      botUserId: input.botUserId ?? newUserId(),
      basicId: "@" + hex(4).slice(0, 7),
      displayName: input.displayName ?? `Emulated OA ${channelId}`,
      webhookUrl: input.webhookUrl,
      webhookActive: true,
      loginChannelId: input.loginChannelId,
      loginChannelSecret: input.loginChannelSecret ?? (input.loginChannelId ? newChannelSecret() : undefined),
      quota: input.quota ?? { type: "none" },
      totalUsage: input.totalUsage ?? 0,
    };
    if (this.tokenIndex.has(channel.channelAccessToken)) throw new ConflictError("channelAccessToken already used");
    this.channels.set(channelId, {
      channel,
      friendships: new Map(),
      userRichMenus: new Map(),
      displayOverride: new Map(),
      richMenus: new Map(),
      aliases: new Map(),
      messages: [],
      messagesByUser: new Map(),
      retryKeys: new Map(),
      requests: [],
      webhooks: [],
      audiences: new Map(),
      narrowcasts: new Map(),
      batches: new Map(),
    });
    this.tokenIndex.set(channel.channelAccessToken, channelId);
    if (channel.loginChannelId) this.loginIndex.set(channel.loginChannelId, channelId);
    return channel;
  }

  updateChannel(channelId: string, patch: Partial<CreateChannelInput> & { webhookActive?: boolean }): Channel {
    const cs = this.mustChannel(channelId);
    const ch = cs.channel;
    if (patch.webhookUrl !== undefined) ch.webhookUrl = patch.webhookUrl || undefined;
    if (patch.webhookActive !== undefined) ch.webhookActive = patch.webhookActive;
    if (patch.quota !== undefined) ch.quota = patch.quota;
    if (patch.totalUsage !== undefined) ch.totalUsage = patch.totalUsage;
    if (patch.displayName !== undefined) ch.displayName = patch.displayName;
    if (patch.channelAccessToken !== undefined && patch.channelAccessToken !== ch.channelAccessToken) {
      this.tokenIndex.delete(ch.channelAccessToken);
      ch.channelAccessToken = patch.channelAccessToken;
      this.tokenIndex.set(ch.channelAccessToken, channelId);
    }
    if (patch.channelSecret !== undefined) ch.channelSecret = patch.channelSecret;
    if (patch.loginChannelId !== undefined) {
      if (ch.loginChannelId) this.loginIndex.delete(ch.loginChannelId);
      ch.loginChannelId = patch.loginChannelId;
      this.loginIndex.set(patch.loginChannelId, channelId);
      if (!ch.loginChannelSecret && !patch.loginChannelSecret) ch.loginChannelSecret = newChannelSecret();
    }
    if (patch.loginChannelSecret !== undefined) ch.loginChannelSecret = patch.loginChannelSecret;
    return ch;
  }

  getChannel(channelId: string): ChannelState | undefined {
    return this.channels.get(channelId);
  }
  mustChannel(channelId: string): ChannelState {
    const cs = this.channels.get(channelId);
    if (!cs) throw new NotFoundError(`channel ${channelId} not found`);
    return cs;
  }
  channelByToken(token: string): ChannelState | undefined {
    const id = this.tokenIndex.get(token);
    return id ? this.channels.get(id) : undefined;
  }
  channelByLoginId(loginChannelId: string): ChannelState | undefined {
    const id = this.loginIndex.get(loginChannelId);
    return id ? this.channels.get(id) : undefined;
  }

  createUser(input: CreateUserInput): EmulatedUser {
    const userId = input.userId ?? newUserId();
    const existing = this.users.get(userId);
    const user: EmulatedUser = {
      userId,
      displayName: input.displayName ?? existing?.displayName ?? `User ${userId.slice(1, 7)}`,
      pictureUrl: input.pictureUrl ?? existing?.pictureUrl,
      language: input.language ?? existing?.language,
      statusMessage: input.statusMessage ?? existing?.statusMessage,
    };
    this.users.set(userId, user);
    for (const chId of input.friendOf ?? []) this.mustChannel(chId).friendships.set(userId, "friend");
    return user;
  }

  ensureUser(userId: string): EmulatedUser {
    return this.users.get(userId) ?? this.createUser({ userId });
  }

  friendship(cs: ChannelState, userId: string): Friendship {
    return cs.friendships.get(userId) ?? "none";
  }

  setFriendship(cs: ChannelState, userId: string, f: Friendship): Friendship {
    const prev = this.friendship(cs, userId);
    if (f === "none") cs.friendships.delete(userId);
    else cs.friendships.set(userId, f);
    return prev;
  }

  deliver(cs: ChannelState, d: Omit<DeliveredMessage, "seq">): DeliveredMessage {
    const rec: DeliveredMessage = { ...d, seq: this.nextSeq() };
    cs.messages.push(rec);
    let arr = cs.messagesByUser.get(d.userId);
    if (!arr) cs.messagesByUser.set(d.userId, (arr = []));
    arr.push(rec);
    return rec;
  }

  logRequest(cs: ChannelState, e: RequestLogEntry): void {
    cs.requests.push(e);
    if (cs.requests.length > REQUEST_LOG_MAX) cs.requests.splice(0, cs.requests.length - REQUEST_LOG_MAX);
  }

  logWebhook(cs: ChannelState, w: WebhookDelivery): void {
    cs.webhooks.push(w);
    if (cs.webhooks.length > WEBHOOK_LOG_MAX) cs.webhooks.splice(0, cs.webhooks.length - WEBHOOK_LOG_MAX);
  }

  effectiveRichMenuId(cs: ChannelState, userId: string): string | undefined {
    return cs.userRichMenus.get(userId) ?? cs.defaultRichMenuId;
  }

  /** Snapshot used by the control API. */
  userView(cs: ChannelState, userId: string) {
    const perUser = cs.userRichMenus.get(userId);
    return {
      userId,
      profile: this.users.get(userId) ?? null,
      friendship: this.friendship(cs, userId),
      richMenuId: perUser ?? cs.defaultRichMenuId ?? null,
      richMenuSource: perUser ? "user" : cs.defaultRichMenuId ? "default" : null,
      messages: (cs.messagesByUser.get(userId) ?? []).map(publicMessage),
    };
  }
}

export function publicMessage(m: DeliveredMessage) {
  return {
    seq: m.seq,
    id: m.messageId,
    userId: m.userId,
    kind: m.kind,
    requestId: m.requestId,
    retryKey: m.retryKey,
    time: m.time,
    message: m.message,
  };
}

export function publicRichMenu(m: RichMenu) {
  return {
    richMenuId: m.richMenuId,
    size: m.size,
    selected: m.selected,
    name: m.name,
    chatBarText: m.chatBarText,
    areas: m.areas,
  };
}

export class NotFoundError extends Error {}
export class ConflictError extends Error {}
