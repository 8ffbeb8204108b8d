import { asc } from 'drizzle-orm';
import type { GeneratedDepartment } from '@gcc/data';
import type { Db } from '../db/connect.ts';
import { departments } from '../db/schema.ts';

// The handling departments (专业部门) of the city, read once at start: a short list that the
// console shows, the engine checks whistles and dispatches against, and department users belong to.

export type Department = typeof departments.$inferSelect;

export class DepartmentDirectory {
  private rows: Department[] = [];
  private byCode = new Map<string, Department>();
  /** The codes, for the engine's check of whistles and dispatches. */
  codes: ReadonlySet<string> = new Set();

  constructor(private readonly db: Pick<Db, 'select' | 'insert'>) {}

  /** Reads the table; a database seeded before departments existed gets the demo city's list. */
  async load(initial: readonly GeneratedDepartment[]): Promise<this> {
    let rows = await this.db.select().from(departments).orderBy(asc(departments.id));
    if (rows.length === 0 && initial.length > 0) {
      await this.db
        .insert(departments)
        .values([...initial])
        .onConflictDoNothing({ target: departments.code });
      rows = await this.db.select().from(departments).orderBy(asc(departments.id));
    }
    this.rows = rows;
    this.byCode = new Map(rows.map((d) => [d.code, d]));
    this.codes = new Set(this.byCode.keys());
    return this;
  }

  list(): readonly Department[] {
    return this.rows;
  }

  byId(id: number | null): Department | undefined {
    return id === null ? undefined : this.rows.find((d) => d.id === id);
  }

  get(code: string): Department | undefined {
    return this.byCode.get(code);
  }
}
