/** The adjusting entries' tables (migrations 0020 and 0028), apart from schema.ts, which names them in `Database`. */

export interface AdjustmentTable {
  entry_id: string;
  reason: string;
  made_by: string;
  made_at: string;
  explains: string | null;
  needs_approval: bigint | number;
}

export interface AdjustmentApprovalTable {
  entry_id: string;
  approved_by: string;
  approved_at: string;
}

export interface AdjustmentKeyTable {
  key: string;
  entry_id: string;
  request_sha256: string;
}
