import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TutorsModule } from '../tutors/tutors.module';
import { UserEntity } from './entities/user.entity';
import { PasswordHasher } from './password-hasher';
import { TutorLocations } from './tutor-locations';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([UserEntity]), TutorsModule],
  controllers: [UsersController],
  providers: [UsersService, PasswordHasher, TutorLocations],
  exports: [UsersService, PasswordHasher],
})
export class UsersModule {}
