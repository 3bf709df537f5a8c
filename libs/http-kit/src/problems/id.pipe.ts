import { Injectable, PipeTransform } from '@nestjs/common';
import { ID_PATTERN } from '@fleetjobs/contracts';
import { ValidationProblem } from './problem.exception';

/** Path ids: 1 to 128 letters, digits, `-`, `_`, `.` or `:`. */
@Injectable()
export class IdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!ID_PATTERN.test(value)) {
      throw new ValidationProblem([{ field: 'id', message: 'must be 1 to 128 letters, digits, "-", "_", "." or ":"' }]);
    }
    return value;
  }
}
