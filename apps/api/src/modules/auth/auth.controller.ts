import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { Body } from '../../infra/http/validation.js';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthResponse, User } from '@orch/contracts';
import { type AuthContext, Authenticated, CurrentUser, Public } from './access.decorators.js';
import { AuthService } from './auth.service.js';
import { LoginDto, RegisterDto } from './dto/auth.dto.js';
import { ApiErrors, ApiOk } from '../../infra/http/openapi/responses.js';
import { AuthResponseDto, UserDto } from './dto/auth.response.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @ApiOk(AuthResponseDto, { status: 201, description: 'Registered and signed in' })
  @ApiErrors([409, 'That email is already registered (EMAIL_TAKEN)'])
  @Public()
  @Post('register')
  register(@Body() dto: RegisterDto): Promise<AuthResponse> {
    return this.auth.register(dto);
  }

  @ApiOk(AuthResponseDto, { description: 'Signed in' })
  @ApiErrors([401, 'Wrong email or password (INVALID_CREDENTIALS)'])
  @Public()
  @Post('login')
  @HttpCode(200)
  login(@Body() dto: LoginDto): Promise<AuthResponse> {
    return this.auth.login(dto);
  }

  @ApiOk(UserDto, { description: 'The signed-in user' })
  @Authenticated()
  @ApiBearerAuth()
  @Get('me')
  me(@CurrentUser() user: AuthContext): Promise<User> {
    return this.auth.me(user.userId);
  }
}
