// Klaviyo operations the stand-in answers that are NOT in the published OpenAPI slices
// (../shared/klaviyo-openapi holds profiles, lists and segments only). Written as a small OpenAPI
// 3.0 document from Klaviyo's public API reference (revision 2026-07-15) and the matching
// klaviyo-api@23 SDK models, so the same validator checks them:
// - GET /api/accounts  https://developers.klaviyo.com/en/v2026-07-15/reference/get_accounts
//   (model: GetAccountResponseCollection, AccountResponseObjectResourceAttributes, ContactInformation)
// - POST /api/events   https://developers.klaviyo.com/en/v2026-07-15/reference/create_event
//   (model: EventCreateQueryV2; answers 202 Accepted with no body; `unique_id` deduplicates per
//   profile and metric: "only the first processed event will be recorded")
// - POST /api/event-bulk-create-jobs  https://developers.klaviyo.com/en/v2026-07-15/reference/bulk_create_events
//   (model: EventsBulkCreateJob; up to 1,000 events per request, grouped by profile; 202, no body)

const revisionHeader = {
  name: "revision",
  in: "header",
  required: true,
  description: "API endpoint revision (format: YYYY-MM-DD[.suffix])",
  schema: { type: "string", default: "2026-07-15" },
};

const errorResponse = {
  description: "Error",
  content: {
    "application/vnd.api+json": {
      schema: {
        type: "object",
        required: ["errors"],
        properties: {
          errors: {
            type: "array",
            items: {
              type: "object",
              required: ["id", "code", "title", "detail"],
              properties: {
                id: { type: "string" },
                code: { type: "string" },
                title: { type: "string" },
                detail: { type: "string" },
                source: { type: "object", properties: { pointer: { type: "string" }, parameter: { type: "string" } } },
              },
            },
          },
        },
      },
    },
  },
};

const nullableString = { type: "string", nullable: true };

const metricSchema = {
  type: "object",
  required: ["data"],
  properties: {
    data: {
      type: "object",
      required: ["type", "attributes"],
      properties: {
        type: { type: "string", enum: ["metric"] },
        attributes: { type: "object", required: ["name"], properties: { name: { type: "string", minLength: 1 }, service: nullableString } },
      },
    },
  },
};

const profileRefSchema = {
  type: "object",
  required: ["data"],
  properties: {
    data: {
      type: "object",
      required: ["type", "attributes"],
      properties: {
        type: { type: "string", enum: ["profile"] },
        id: nullableString,
        attributes: {
          type: "object",
          properties: {
            email: nullableString,
            phone_number: nullableString,
            external_id: nullableString,
            properties: { type: "object", nullable: true },
          },
        },
      },
    },
  },
};

const eventFields = {
  properties: { type: "object", maxProperties: 400 },
  time: { type: "string", format: "date-time", nullable: true },
  value: { type: "number", nullable: true },
  value_currency: nullableString,
  unique_id: nullableString,
  backfill: { type: "boolean", nullable: true },
  metric: metricSchema,
};

export const KLAVIYO_DOCS_SPEC = {
  openapi: "3.0.2",
  info: { title: "Klaviyo accounts + events (from the public API reference)", version: "2026-07-15" },
  paths: {
    "/api/accounts": {
      get: {
        operationId: "get_accounts",
        parameters: [
          {
            name: "fields[account]",
            in: "query",
            required: false,
            explode: false,
            schema: {
              type: "array",
              items: {
                type: "string",
                enum: [
                  "contact_information",
                  "contact_information.organization_name",
                  "industry",
                  "locale",
                  "preferred_currency",
                  "public_api_key",
                  "test_account",
                  "timezone",
                ],
              },
            },
          },
          revisionHeader,
        ],
        responses: {
          "200": {
            description: "Success",
            content: {
              "application/vnd.api+json": {
                schema: {
                  type: "object",
                  required: ["data"],
                  properties: {
                    data: {
                      type: "array",
                      items: {
                        type: "object",
                        required: ["type", "id", "attributes", "links"],
                        properties: {
                          type: { type: "string", enum: ["account"] },
                          id: { type: "string" },
                          attributes: {
                            type: "object",
                            required: ["test_account", "contact_information", "timezone", "preferred_currency", "public_api_key"],
                            properties: {
                              test_account: { type: "boolean" },
                              contact_information: {
                                type: "object",
                                required: ["default_sender_name", "default_sender_email", "organization_name", "street_address"],
                                properties: {
                                  default_sender_name: { type: "string" },
                                  default_sender_email: { type: "string" },
                                  website_url: nullableString,
                                  organization_name: { type: "string" },
                                  street_address: { type: "object" },
                                },
                              },
                              industry: nullableString,
                              timezone: { type: "string" },
                              preferred_currency: { type: "string" },
                              public_api_key: { type: "string" },
                              locale: { type: "string" },
                            },
                          },
                          links: { type: "object", required: ["self"], properties: { self: { type: "string", format: "uri" } } },
                        },
                      },
                    },
                    links: {
                      type: "object",
                      required: ["self"],
                      properties: { self: { type: "string", format: "uri" }, next: { type: "string" }, prev: { type: "string" } },
                    },
                  },
                },
              },
            },
          },
          "4XX": errorResponse,
          "5XX": errorResponse,
        },
      },
    },
    "/api/events": {
      post: {
        operationId: "create_event",
        parameters: [revisionHeader],
        requestBody: {
          required: true,
          content: {
            "application/vnd.api+json": {
              schema: {
                type: "object",
                required: ["data"],
                properties: {
                  data: {
                    type: "object",
                    required: ["type", "attributes"],
                    properties: {
                      type: { type: "string", enum: ["event"] },
                      attributes: {
                        type: "object",
                        required: ["properties", "metric", "profile"],
                        properties: { ...eventFields, profile: profileRefSchema },
                      },
                    },
                  },
                },
              },
            },
          },
        },
        responses: { "202": { description: "Success" }, "4XX": errorResponse, "5XX": errorResponse },
      },
    },
    "/api/event-bulk-create-jobs": {
      post: {
        operationId: "bulk_create_events",
        parameters: [revisionHeader],
        requestBody: {
          required: true,
          content: {
            "application/vnd.api+json": {
              schema: {
                type: "object",
                required: ["data"],
                properties: {
                  data: {
                    type: "object",
                    required: ["type", "attributes"],
                    properties: {
                      type: { type: "string", enum: ["event-bulk-create-job"] },
                      attributes: {
                        type: "object",
                        required: ["events-bulk-create"],
                        properties: {
                          "events-bulk-create": {
                            type: "object",
                            required: ["data"],
                            properties: {
                              data: {
                                type: "array",
                                minItems: 1,
                                maxItems: 1000,
                                items: {
                                  type: "object",
                                  required: ["type", "attributes"],
                                  properties: {
                                    type: { type: "string", enum: ["event-bulk-create"] },
                                    attributes: {
                                      type: "object",
                                      required: ["profile", "events"],
                                      properties: {
                                        profile: profileRefSchema,
                                        events: {
                                          type: "object",
                                          required: ["data"],
                                          properties: {
                                            data: {
                                              type: "array",
                                              minItems: 1,
                                              items: {
                                                type: "object",
                                                required: ["type", "attributes"],
                                                properties: {
                                                  type: { type: "string", enum: ["event"] },
                                                  attributes: {
                                                    type: "object",
                                                    required: ["properties", "metric"],
                                                    properties: eventFields,
                                                  },
                                                },
                                              },
                                            },
                                          },
                                        },
                                      },
                                    },
                                  },
                                },
                              },
                            },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
        responses: { "202": { description: "Success" }, "4XX": errorResponse, "5XX": errorResponse },
      },
    },
  },
  components: {
    securitySchemes: { "Klaviyo-API-Key": { type: "apiKey", in: "header", name: "Authorization" } },
  },
  security: [{ "Klaviyo-API-Key": [] }],
} as const;
