import { Injectable, PipeTransform } from '@nestjs/common';
import { ID_RULE, isValidId } from '@fleetjobs/contracts';
import { ValidationProblem } from './problem.exception';

/** Path ids (PRODUCT.md §2): 1 to 128 letters, digits, `-`, `_`, `.` or `:`, never `.` or `..` alone. */
@Injectable()
export class IdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isValidId(value)) throw new ValidationProblem([{ field: 'id', message: ID_RULE }]);
    return value;
  }
}
