CREATE TABLE [dbo].[Users] ([Id] int IDENTITY(1,1) NOT NULL PRIMARY KEY, [Email] nvarchar(max) NULL)
GO
ALTER TABLE [dbo].[Users] ADD [Name] nvarchar(100) NULL
GO
CREATE INDEX IX_Users_Email ON dbo.Users (Id)
GO
