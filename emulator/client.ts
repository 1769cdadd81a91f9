/** Typed HTTP client for the emulator's control API (/__emulator/*). Usable from other processes. */

export type Friendship = "friend" | "blocked" | "none";

export interface ChannelInfo {
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
  quota: { type: "limited" | "none"; value?: number };
  totalUsage: number;
  friendCount: number;
  richMenuCount: number;
  defaultRichMenuId: string | null;
}

export interface CreateChannelRequest {
  channelId?: string;
  channelSecret?: string;
  channelAccessToken?: string;
  botUserId?: string;
  displayName?: string;
  webhookUrl?: string;
  loginChannelId?: string;
  loginChannelSecret?: string;
  quota?: { type: "limited" | "none"; value?: number };
  totalUsage?: number;
}

export interface UserInfo {
  userId: string;
  displayName: string;
  pictureUrl?: string;
  language?: string;
  statusMessage?: string;
}

export interface CreateUserRequest {
  userId?: string;
  displayName?: string;
  pictureUrl?: string;
  language?: string;
  friendOf?: string[];
}

export interface DeliveredMessageInfo {
  seq: number;
  id: string;
  userId: string;
  kind: "push" | "multicast" | "narrowcast" | "broadcast" | "reply";
  requestId: string;
  retryKey?: string;
  time: number;
  message: Record<string, unknown> & { type: string };
}

export interface UserState {
  userId: string;
  profile: UserInfo | null;
  friendship: Friendship;
  richMenuId: string | null;
  richMenuSource: "user" | "default" | null;
  messages: DeliveredMessageInfo[];
}

export interface RequestLogInfo {
  requestId: string;
  time: number;
  method: string;
  path: string;
  operationId?: string;
  status: number;
  retryKey?: string;
  fault?: string;
  error?: string;
}

export interface WebhookEventRequest {
  type: "follow" | "unfollow" | "message" | "postback" | "accountLink";
  userId: string;
  text?: string;
  data?: string;
  params?: Record<string, string>;
  link?: { result: "ok" | "failed"; nonce: string };
  isRedelivery?: boolean;
  webhookEventId?: string;
  timestamp?: number;
  /** Sent in a group / room the bot is in (source.type "group" / "room") instead of the 1:1 chat. */
  groupId?: string;
  roomId?: string;
}

export interface WebhookSendResult {
  /** HTTP status of the app's response, null if not delivered (no webhook URL / network error / timeout). */
  status: number | null;
  body: string;
  error?: string;
  sent: boolean;
  events?: Array<Record<string, unknown>>;
  payload: string;
  signature: string;
}

export interface FaultRequest {
  operationId?: string;
  pathPrefix?: string;
  method?: string;
  status?: 429 | 500 | 502 | 503 | number;
  body?: unknown;
  delayMs?: number;
  drop?: boolean;
  count?: number;
  untilMs?: number;
}

export interface RichMenusInfo {
  defaultRichMenuId: string | null;
  richmenus: Array<{
    richMenuId: string;
    size: { width: number; height: number };
    selected: boolean;
    name: string;
    chatBarText: string;
    areas: Array<{
      bounds: { x: number; y: number; width: number; height: number };
      action: Record<string, unknown>;
    }>;
    hasImage: boolean;
    image: {
      contentType: string;
      width: number;
      height: number;
      bytes: number;
    } | null;
  }>;
  aliases: Record<string, string>;
  userLinks: number;
}

export class LineEmulatorControlError extends Error {
  constructor(
    public status: number,
    public body: string,
  ) {
    super(`LINE emulator control API ${status}: ${body}`);
  }
}

export class LineEmulatorClient {
  readonly baseUrl: string;
  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(this.baseUrl + "/__emulator" + path, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new LineEmulatorControlError(res.status, text);
    return (text ? JSON.parse(text) : {}) as T;
  }

  private q(params: Record<string, string | number | undefined>): string {
    const sp = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined) sp.set(k, String(v));
    const s = sp.toString();
    return s ? `?${s}` : "";
  }

  health(): Promise<{
    ok: boolean;
    url: string;
    channels: number;
    users: number;
  }> {
    return this.call("GET", "/health");
  }
  reset(): Promise<{ ok: boolean }> {
    return this.call("POST", "/reset");
  }

  createChannel(req: CreateChannelRequest = {}): Promise<ChannelInfo> {
    return this.call("POST", "/channels", req);
  }
  listChannels(): Promise<{ channels: ChannelInfo[] }> {
    return this.call("GET", "/channels");
  }
  getChannel(channelId: string): Promise<ChannelInfo> {
    return this.call("GET", `/channels/${encodeURIComponent(channelId)}`);
  }
  updateChannel(channelId: string, patch: Partial<CreateChannelRequest> & { webhookActive?: boolean }): Promise<ChannelInfo> {
    return this.call("PATCH", `/channels/${encodeURIComponent(channelId)}`, patch);
  }

  createUser(req: CreateUserRequest): Promise<UserInfo> {
    return this.call("POST", "/users", req);
  }
  createUsers(users: CreateUserRequest[]): Promise<{ count: number; userIds: string[] }> {
    return this.call("POST", "/users", { users });
  }
  getUser(userId: string): Promise<
    UserInfo & {
      channels: Array<{
        channelId: string;
        friendship: Friendship;
        richMenuId: string | null;
      }>;
    }
  > {
    return this.call("GET", `/users/${encodeURIComponent(userId)}`);
  }
  /** Sets friendship without sending a webhook (use sendWebhookEvent({type:'follow'}) to also notify the app). */
  setFriendship(channelId: string, userId: string, state: Friendship = "friend"): Promise<{ ok: boolean }> {
    return this.call("POST", `/channels/${encodeURIComponent(channelId)}/friends`, { userId, state });
  }
  getUserState(channelId: string, userId: string): Promise<UserState> {
    return this.call("GET", `/channels/${encodeURIComponent(channelId)}/users/${encodeURIComponent(userId)}`);
  }
  getMessages(
    channelId: string,
    filter: {
      userId?: string;
      since?: number;
      sinceSeq?: number;
      kind?: string;
      limit?: number;
    } = {},
  ): Promise<{ total: number; messages: DeliveredMessageInfo[] }> {
    return this.call("GET", `/channels/${encodeURIComponent(channelId)}/messages${this.q(filter)}`);
  }
  getRequests(channelId: string, filter: { operationId?: string } = {}): Promise<{ requests: RequestLogInfo[] }> {
    return this.call("GET", `/channels/${encodeURIComponent(channelId)}/requests${this.q(filter)}`);
  }
  getWebhookDeliveries(channelId: string): Promise<{
    deliveries: Array<{
      time: number;
      url?: string;
      body: string;
      signature: string;
      status?: number;
      responseBody?: string;
      error?: string;
    }>;
  }> {
    return this.call("GET", `/channels/${encodeURIComponent(channelId)}/webhooks`);
  }
  getRichMenus(channelId: string): Promise<RichMenusInfo> {
    return this.call("GET", `/channels/${encodeURIComponent(channelId)}/richmenus`);
  }
  sendWebhookEvent(channelId: string, event: WebhookEventRequest): Promise<WebhookSendResult> {
    return this.call("POST", `/channels/${encodeURIComponent(channelId)}/webhook-events`, event);
  }
  sendWebhookEvents(channelId: string, events: WebhookEventRequest[]): Promise<WebhookSendResult> {
    return this.call("POST", `/channels/${encodeURIComponent(channelId)}/webhook-events`, { events });
  }
  sendRawWebhook(
    channelId: string,
    req: {
      body?: unknown;
      signature?: string;
      badSignature?: boolean;
      headers?: Record<string, string>;
    },
  ): Promise<WebhookSendResult> {
    return this.call("POST", `/channels/${encodeURIComponent(channelId)}/webhook-raw`, req);
  }

  addFault(fault: FaultRequest): Promise<FaultRequest & { id: number }> {
    return this.call("POST", "/faults", fault);
  }
  clearFaults(): Promise<{ ok: boolean }> {
    return this.call("DELETE", "/faults");
  }
  /** Override rate limits by operationId; null removes the limit entirely. */
  setRateLimits(limits: Record<string, { max: number; windowMs: number } | null>): Promise<{ ok: boolean }> {
    return this.call("POST", "/rate-limits", limits);
  }

  /** Simulates the user on the phone: tap a rich menu area (index into the displayed menu's areas) or send a text. */
  tap(
    channelId: string,
    userId: string,
    input: { area: number; richMenuId?: string } | { text: string },
  ): Promise<{ webhook: WebhookSendResult | null; switchedTo: string | null }> {
    return this.call("POST", `/phone/${encodeURIComponent(channelId)}/${encodeURIComponent(userId)}/tap`, input);
  }

  phoneUrl(channelId: string, userId: string): string {
    return `${this.baseUrl}/__emulator/phone/${encodeURIComponent(channelId)}/${encodeURIComponent(userId)}`;
  }
}
