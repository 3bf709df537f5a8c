import { ROLES, type Role } from '@fleetjobs/contracts';
import { IsStorableText } from '@fleetjobs/http-kit';
import { IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';

/** Body of `POST /api/tokens`. */
export class CreateTokenRequestDto {
  @IsString()
  @Length(1, 256)
  @IsStorableText()
  name: string;

  @IsIn(ROLES)
  role: Role;

  /** ISO time; checked against the clock by the controller (future, at most a year ahead). */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  expiresAt?: string;
}
