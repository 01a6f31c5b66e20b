/**
 * The votes of blind A/B rounds. Like labels, each is committed the moment it is given, in its
 * own transaction with strict durability, so a reload or a crash never costs a vote.
 */
import type { PlaygroundDB } from './db';
import type { New, VoteRecord } from './records';
import { addRecord, writeTransaction } from './write';

/** Stores one vote; resolves with its id once it is on disk. */
export function addVote(db: PlaygroundDB, vote: New<VoteRecord>): Promise<number> {
  return writeTransaction(db, ['votes'], 'vote', (tx) => addRecord(tx, 'votes', vote));
}

/** Every vote in the order given, or only those of one round. */
export function listVotes(db: PlaygroundDB, round?: number): Promise<VoteRecord[]> {
  return round === undefined ? db.getAll('votes') : db.getAllFromIndex('votes', 'byRound', round);
}
