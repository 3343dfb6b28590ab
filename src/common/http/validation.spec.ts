import { ArgumentMetadata } from '@nestjs/common';
import { getMetadataStorage, IsInt, IsString, MaxLength } from 'class-validator';
import { ProblemException } from '../problem/problem.exception';
import { createValidationPipe } from './validation';

class Parent {
  @IsString()
  @MaxLength(5)
  name: string;
}

class Child extends Parent {
  @IsInt()
  count: number;
}

const body = (metatype: new () => object): ArgumentMetadata => ({ type: 'body', metatype, data: undefined });

async function fieldErrors(run: Promise<unknown>): Promise<string[]> {
  try {
    await run;
    return [];
  } catch (error) {
    if (!(error instanceof ProblemException)) throw error;
    return (error.errors ?? []).map((e) => `${e.field}:${e.code}`).sort();
  }
}

describe('createValidationPipe with the memoised metadata', () => {
  const pipe = createValidationPipe();

  it('validates the same on the first and every later call, inherited constraints included', async () => {
    for (let i = 0; i < 3; i++) {
      expect(await fieldErrors(pipe.transform({ name: 'Aino' }, body(Parent)))).toEqual([]);
      expect(await fieldErrors(pipe.transform({ name: 'Aino Virtanen' }, body(Parent)))).toEqual(['name:max-length']);
      expect(await fieldErrors(pipe.transform({ name: 'Aino', count: 'x' }, body(Child)))).toEqual(['count:invalid-type']);
      expect(await fieldErrors(pipe.transform({ name: 'Aino Virtanen', count: 2, extra: 1 }, body(Child)))).toEqual(['extra:unknown-field', 'name:max-length']);
      expect(await pipe.transform({ name: 'Aino', count: 2 }, body(Child))).toBeInstanceOf(Child);
    }
  });

  it('looks up a class once, and again after a decorator registers a new constraint', async () => {
    class Late {
      @IsString()
      code: string;
    }
    // A lookup walks class-validator's map of every decorated class: count those walks.
    const registry = (getMetadataStorage() as unknown as { validationMetadatas: Map<unknown, unknown> }).validationMetadatas;
    const lookups = jest.spyOn(registry, 'entries');
    try {
      for (let i = 0; i < 3; i++) expect(await fieldErrors(pipe.transform({ code: 'abc' }, body(Late)))).toEqual([]);
      expect(lookups).toHaveBeenCalledTimes(1);

      MaxLength(2)(Late.prototype, 'code');
      expect(await fieldErrors(pipe.transform({ code: 'abc' }, body(Late)))).toEqual(['code:max-length']);
      expect(await fieldErrors(pipe.transform({ code: 'ab' }, body(Late)))).toEqual([]);
      expect(lookups).toHaveBeenCalledTimes(2);
    } finally {
      lookups.mockRestore();
    }
  });
});
