// Migration 9: reserved for the KYC outbox (branch s8-kyc), which replaces this file at merge. Until then it changes
// nothing, so the lifecycle's migration keeps its number (10) and versions stay 1, 2, 3… without a gap.
import type { Migration } from './migration.ts';

export const migration0009Reserved: Migration = { version: 9, name: '0009-reserved', up: () => undefined };
